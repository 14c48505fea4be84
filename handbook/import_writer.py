"""Writing a set of files into a directory all at once, or not at all.

The files go into a temporary directory beside ``out``, which is renamed into place only when every
file is written. An existing ``out`` that is not empty is replaced only with ``force``; then the old
directory is first renamed aside and removed only after the new one is in place. A re-import
(:func:`update_directory`) stages a copy of ``out`` with the changes, and swaps it in the same way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The output directory cannot be used; ``str(error)`` is a sentence for the user."""


def check_output(out: Path, force: bool, source: Path | None = None) -> None:
    """Refuse before any work is done: ``out`` is a file, or not empty without ``force``."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} finnes allerede og er ikke en mappe")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(
            f"{out} finnes allerede og er ikke tom; bruk --update for å oppdatere rutinene og "
            "beholde det som er fylt inn for hånd, eller --force for å erstatte alt"
        )
    if source is not None and out.exists() and source.resolve().is_relative_to(out.resolve()):
        raise OutputError(f"{source} ligger i {out}; velg en annen mappe for resultatet")


def write_directory(files: dict[str, str], out: Path, force: bool = False) -> None:
    """Make ``out`` hold exactly ``files`` (name → UTF-8 text), atomically as seen from outside."""
    check_output(out, force)
    _replace(out, lambda staging: _write(staging, files))


def update_directory(files: dict[str, str], removed: list[str], out: Path) -> None:
    """Write ``files`` into ``out`` and remove ``removed`` from it, keeping everything else that
    is there; atomically as seen from outside (the new directory is a changed copy)."""

    def fill(staging: Path) -> None:
        shutil.copytree(out, staging, dirs_exist_ok=True, symlinks=True)
        for name in removed:
            (staging / name).unlink(missing_ok=True)
        _write(staging, files)

    _replace(out, fill)


def _write(staging: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")


def _replace(out: Path, fill) -> None:
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".ny", dir=out.parent))
    try:
        fill(staging)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a handbook is not
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        if out.exists():
            aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".gammel", dir=out.parent))
            aside.rmdir()
            os.rename(out, aside)
            try:
                os.rename(staging, out)
            except OSError:
                os.rename(aside, out)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
