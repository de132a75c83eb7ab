"""The layers (pyproject's [tool.importlinter]): import-linter's contracts hold on the tree.

A new module is covered by its package's contract without editing this test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_import_contracts_are_kept() -> None:
    # execute
    result = lint_imports(ROOT)
    # verify
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].replace("0 broken", "")


def test_a_broken_layer_is_reported(tmp_path: Path) -> None:
    # setup: a copy of the tree where storage imports a chat handler (upwards)
    for package in ("bot", "core", "handlers", "scheduler", "services", "storage"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "storage" / "upwards.py").write_text("import handlers.report\n", encoding="utf-8")
    (tmp_path / "core" / "loop_a.py").write_text("import core.loop_b\n", encoding="utf-8")
    (tmp_path / "core" / "loop_b.py").write_text("import core.loop_a\n", encoding="utf-8")
    # execute
    result = lint_imports(tmp_path)
    # verify
    assert result.returncode != 0
    assert "storage.upwards -> handlers.report" in result.stdout
    assert "No cycles are allowed in core" in result.stdout
