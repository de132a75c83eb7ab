"""Files an admin sends to be imported (a plan, a roster), between the preview and the answer.

The engine saves every download under a random name in EVIDENCE_DIR; an upload to import is
moved into a folder of its own under `uploads/`, named as the officer named it (made safe), so
that refusals name the file they know. It is removed once imported or declined, and uploads
left behind by an abandoned dialog are pruned when the next import starts."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

logger = logging.getLogger(__name__)
UPLOADS = "uploads"


def keep(saved: Path, file_name: str) -> Path:
    """The downloaded file, moved to uploads/<random>/<its own name>."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in Path(file_name).name)
    folder = saved.parent / UPLOADS / saved.stem
    folder.mkdir(parents=True)
    return saved.rename(folder / (safe[-80:] or saved.name))


def kept(path: Path) -> bool:
    return path.is_file()


def not_usable(path: Path, declined: bool, declined_text: str, gone_text: str) -> str:
    """What to answer when the officer said no at the preview (the upload is dropped) or the
    upload is gone (pruned, or another process's disk); "" when it can be imported."""
    if declined:
        forget(path)
        return declined_text
    return "" if kept(path) else gone_text


def forget(path: Path) -> None:
    """The upload and its folder are removed."""
    path.unlink(missing_ok=True)
    if path.parent.parent.name == UPLOADS:
        shutil.rmtree(path.parent, ignore_errors=True)


def prune(evidence_dir: Path, older_than_s: float) -> None:
    """Uploads of dialogs nobody finished (expired, cancelled) are dropped."""
    root = evidence_dir / UPLOADS
    if not root.is_dir():
        return
    cutoff = time.time() - older_than_s
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
        except OSError:
            logger.warning("could not remove an old upload folder %s", folder.name)
