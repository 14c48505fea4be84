"""Where a routine lives on the web: ``/rutiner/<id>#<section anchor>``.

Pure string functions, shared by the cards (absolute links for Teams) and the web pages.

>>> routine_url("https://rutinebot.example.no/", "klage", "frister")
'https://rutinebot.example.no/rutiner/klage#frister'
"""

from __future__ import annotations

from urllib.parse import quote

#: The handbook's list page; a routine is one segment below it.
ROUTINES_PATH = "/rutiner"


def routine_path(routine_id: str, anchor: str = "") -> str:
    """``/rutiner/<id>`` with ``#anchor`` when one is given (ids and anchors are slugs; quoted
    anyway so a forged id cannot leave the path)."""
    path = f"{ROUTINES_PATH}/{quote(routine_id, safe='')}"
    return f"{path}#{quote(anchor, safe='')}" if anchor else path


def routine_url(public_base_url: str, routine_id: str, anchor: str = "") -> str:
    """The absolute address of a routine (and section) below ``public_base_url``."""
    return public_base_url.rstrip("/") + routine_path(routine_id, anchor)
