"""The Teams app package: ``manifest/manifest.template.json`` filled in, zipped with the icons.

``make package`` runs ``python -m bot package``, which takes the app id (``MicrosoftAppId``) and
the bot's public host (``BOT_DOMAIN``) from :class:`bot.config.Config` and writes
``build/rutinebot-teams-app.zip``: ``manifest.json``, ``color.png`` and ``outline.png`` at the
zip's root, ready to upload in Teams.

    >>> check_app_id("0b0e6f3c-5f7a-4c1e-9d2a-3b4c5d6e7f80")
    '0b0e6f3c-5f7a-4c1e-9d2a-3b4c5d6e7f80'
    >>> check_domain("Rutinebot.Kommune.no")
    'rutinebot.kommune.no'
    >>> check_domain("https://rutinebot.kommune.no/")
    Traceback (most recent call last):
    ...
    bot.teams.package.PackageError: BOT_DOMAIN «https://rutinebot.kommune.no/» må være et rent vertsnavn som rutinebot.kommune.no, uten https://, sti eller port

The template's placeholders are ``${MicrosoftAppId}``, ``${BOT_DOMAIN}`` and ``${APP_VERSION}``
(the project's version). They are replaced inside the parsed JSON's strings, so a value can
never break the JSON, and a placeholder this module does not know is an error.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from handbook.version import __version__

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest"
TEMPLATE = "manifest.template.json"
ICONS = ("color.png", "outline.png")
DEFAULT_OUT = Path("build") / "rutinebot-teams-app.zip"

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Fixed timestamp in the zip, so the same inputs give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """What is wrong with the settings; one problem per line, in Norwegian (shown to the user)."""


def check_app_id(app_id: str) -> str:
    """The app id if it looks like a GUID (what Azure gives a bot registration)."""
    if not app_id:
        raise PackageError(
            "MicrosoftAppId er ikke satt: sett den til app-id-en (en GUID) fra Azure-botregistreringen"
        )
    if not _GUID.fullmatch(app_id):
        raise PackageError(
            f"MicrosoftAppId «{app_id}» er ikke en GUID (som 00000000-0000-0000-0000-000000000000)"
        )
    return app_id


def check_domain(domain: str) -> str:
    """The bot's host if it is a bare host name (no scheme, path or port); lower-cased."""
    if not domain:
        raise PackageError(
            "BOT_DOMAIN er ikke satt: sett den til botens offentlige vertsnavn, "
            "f.eks. rutinebot.kommune.no"
        )
    host = domain.lower()
    last_label = host.rsplit(".", 1)[-1]
    if len(host) > 253 or not _HOST.fullmatch(host) or last_label.isdigit():
        raise PackageError(
            f"BOT_DOMAIN «{domain}» må være et rent vertsnavn som rutinebot.kommune.no, "
            "uten https://, sti eller port"
        )
    return host


def fill(value: object, values: Mapping[str, str]) -> object:
    """``value`` (parsed JSON) with every ``${NAME}`` in its strings replaced from ``values``."""
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise PackageError(f"ukjent plassholder ${{{name}}} i {TEMPLATE}")
            return values[name]

        return _PLACEHOLDER.sub(replace, value)
    return value


def build_manifest(
    app_id: str, bot_domain: str, *, manifest_dir: Path = MANIFEST_DIR, version: str = __version__
) -> dict:
    """The manifest for this app id and host; :class:`PackageError` lists every bad setting."""
    values = {"APP_VERSION": version}
    problems = []
    for name, check, value in (
        ("MicrosoftAppId", check_app_id, app_id),
        ("BOT_DOMAIN", check_domain, bot_domain),
    ):
        try:
            values[name] = check(value)
        except PackageError as error:
            problems.append(str(error))
    if problems:
        raise PackageError("\n".join(problems))
    template = json.loads((manifest_dir / TEMPLATE).read_text(encoding="utf-8"))
    return fill(template, values)


def write_package(
    app_id: str, bot_domain: str, out: Path = DEFAULT_OUT, *, manifest_dir: Path = MANIFEST_DIR
) -> Path:
    """Write the zip to ``out`` (replaced atomically); nothing is written if a setting is bad."""
    manifest = build_manifest(app_id, bot_domain, manifest_dir=manifest_dir)
    files = {"manifest.json": (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()}
    for name in ICONS:
        files[name] = (manifest_dir / name).read_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    os.replace(partial, out)
    return out
