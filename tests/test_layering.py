"""The core never imports a messenger SDK or HTTP library (style.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_PACKAGES = ("handlers", "scheduler", "storage")
FORBIDDEN = ("telegram", "aiohttp", "httpx")
# Core modules of bot/ that handlers import: they must stay messenger-free as well.
NEUTRAL_BOT_MODULES = ("core.py", "router.py", "engine.py", "deps.py", "ports.py", "textutil.py",
                       "render.py", "app.py", "config.py")


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def core_files() -> list[Path]:
    files = [p for pkg in CORE_PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    files += [ROOT / "bot" / name for name in NEUTRAL_BOT_MODULES]
    files += list((ROOT / "bot" / "texts").rglob("*.py"))
    return files


def test_core_modules_never_import_messenger_or_http_libraries() -> None:
    # setup
    files = core_files()
    assert len(files) > 15  # the walk really found the core
    # execute
    leaks = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & set(FORBIDDEN)) for p in files}
    # verify
    assert {k: v for k, v in leaks.items() if v} == {}


def test_the_check_detects_a_leak(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from telegram import Bot\nimport aiohttp.web\n", encoding="utf-8")
    assert imported_roots(bad) >= {"telegram", "aiohttp"}
