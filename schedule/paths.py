"""Where the schedule and the public links come from: the only place that looks at settings.

Both functions take the environment as an argument (``os.environ`` at the edge, a dict in tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: The example schedule shipped with the package.
SHIPPED_DIR = Path(__file__).resolve().parent / "data"


def schedule_dir(environ: Mapping[str, str]) -> Path:
    """``SCHEDULE_DIR`` if set and not empty, else the shipped example."""
    value = environ.get("SCHEDULE_DIR", "").strip()
    return Path(value) if value else SHIPPED_DIR


def public_base_url(environ: Mapping[str, str]) -> str:
    """``PUBLIC_BASE_URL``, else ``http://localhost:$PORT`` (port 3978 by default)."""
    value = environ.get("PUBLIC_BASE_URL", "").strip()
    return value.rstrip("/") if value else f"http://localhost:{environ.get('PORT', '3978')}"
