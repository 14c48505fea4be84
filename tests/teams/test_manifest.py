"""The Teams app package: the manifest validates against Microsoft's official schema (from the
``@microsoft/app-manifest`` npm package), matches the bot's commands and compose extension, the
icons are what Teams asks for, and ``make package`` writes exactly the zip Teams takes."""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import re
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

import bot.teams.package
from bot.chat.commands import COMMANDS, parse
from bot.teams.handler import COMPOSE_COMMAND, COMPOSE_PARAMETER
from bot.teams.package import ICONS, PackageError, build_manifest, write_package
from handbook.version import __version__

ROOT = Path(__file__).parents[2]
MANIFEST_DIR = ROOT / "manifest"
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas"
SCHEMA_URL = "https://developer.microsoft.com/json-schemas/"

APP_ID = "0b0e6f3c-5f7a-4c1e-9d2a-3b4c5d6e7f80"
DOMAIN = "rutinebot.kommune.no"
SCOPES = ["personal", "team", "groupChat"]


# --- reading the official schema, offline ----------------------------------------------------


def local_schema_path(url: str) -> Path:
    """The npm package's copy of a developer.microsoft.com schema URL (as the package maps it)."""
    assert url.startswith(SCHEMA_URL), url
    return SCHEMAS / url.removeprefix(SCHEMA_URL)


def _no_network(uri: str):
    raise NoSuchResource(ref=uri)  # every $ref must resolve inside the registered schema


@pytest.fixture(scope="module")
def manifest() -> dict:
    return build_manifest(APP_ID, DOMAIN)


@pytest.fixture(scope="module")
def schema(manifest) -> dict:
    return json.loads(local_schema_path(manifest["$schema"]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(manifest, schema) -> jsonschema.Draft4Validator:
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    # The schema is written for JavaScript: one pattern, the name of an Office add-in function
    # under "extensions" (which this app does not have), uses \p{L}, which Python's re cannot
    # compile. So check the schema's structure without the meta-schema's "regex" format check.
    jsonschema.Draft4Validator.check_schema(schema, format_checker=None)
    assert "extensions" not in manifest
    resource = Resource.from_contents(schema, default_specification=DRAFT4)
    registry = Registry(retrieve=_no_network).with_resource(manifest["$schema"], resource)
    return jsonschema.Draft4Validator(
        schema,
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


def _schema_versions() -> list[tuple[int, int]]:
    found = []
    for directory in (SCHEMAS / "teams").iterdir():
        match = re.fullmatch(r"v(\d+)\.(\d+)", directory.name)
        if match and (directory / "MicrosoftTeams.schema.json").is_file():
            found.append((int(match[1]), int(match[2])))
    return sorted(found)


# --- the manifest ------------------------------------------------------------------------------


def test_manifest_is_valid_against_the_official_schema(manifest, validator):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]
    assert errors == []


def test_the_validator_rejects_a_broken_manifest(manifest, validator):
    broken = json.loads(json.dumps(manifest))
    broken["accentColor"] = "blue"
    broken["bots"][0]["scopes"].append("everywhere")
    del broken["developer"]["privacyUrl"]
    broken["unknownField"] = True
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "does not match" in messages  # accentColor
    assert "'everywhere' is not one of" in messages
    assert "'privacyUrl' is a required property" in messages
    assert "Additional properties are not allowed ('unknownField'" in messages


def test_manifest_uses_the_newest_released_schema_in_the_npm_package(manifest, schema):
    newest = "{}.{}".format(*_schema_versions()[-1])  # vDevPreview is not a release
    assert manifest["manifestVersion"] == newest, "a newer schema ships: update the template"
    assert manifest["$schema"] == f"{SCHEMA_URL}teams/v{newest}/MicrosoftTeams.schema.json"
    # draft-04 has no "const", so the validator cannot check this one: check it here.
    assert schema["properties"]["manifestVersion"]["const"] == manifest["manifestVersion"]


def test_placeholders_are_filled_in(manifest):
    text = json.dumps(manifest)
    assert "${" not in text
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["composeExtensions"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == [DOMAIN]
    assert manifest["version"] == __version__
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][key] == f"https://{DOMAIN}/"


def test_template_names_only_known_placeholders():
    text = (MANIFEST_DIR / "manifest.template.json").read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", text)) == {"MicrosoftAppId", "BOT_DOMAIN", "APP_VERSION"}


def test_unknown_placeholder_is_an_error(tmp_path):
    template = {"manifestVersion": "1.30", "id": "${MicrosoftAppId}", "name": "${NAME}"}
    (tmp_path / "manifest.template.json").write_text(json.dumps(template), encoding="utf-8")
    with pytest.raises(PackageError, match=r"ukjent plassholder \$\{NAME\}"):
        build_manifest(APP_ID, DOMAIN, manifest_dir=tmp_path)


def test_bot_scopes_and_one_command_list_per_scope(manifest):
    (bot,) = manifest["bots"]
    assert bot["scopes"] == SCOPES
    assert [command_list["scopes"] for command_list in bot["commandLists"]] == [[s] for s in SCOPES]


@pytest.mark.parametrize("scope", SCOPES)
def test_command_list_is_the_bots_commands(manifest, scope):
    (command_list,) = [c for c in manifest["bots"][0]["commandLists"] if c["scopes"] == [scope]]
    menu = [spec for spec in COMMANDS if spec.in_manifest]
    expected = [{"title": spec.words[0], "description": spec.help} for spec in menu]
    assert command_list["commands"] == expected
    assert len(menu) <= 10  # Teams' limit per scope; the setup commands stay out of the menu
    # Picking a command in Teams sends its title: the bot must understand it as that command.
    kinds = [parse(command["title"]).kind for command in command_list["commands"]]
    assert kinds == [spec.kind for spec in menu]


def test_compose_extension_matches_the_handler(manifest):
    (extension,) = manifest["composeExtensions"]
    (command,) = extension["commands"]
    assert command["id"] == COMPOSE_COMMAND
    assert command["type"] == "query"
    assert [parameter["name"] for parameter in command["parameters"]] == [COMPOSE_PARAMETER]
    assert command["initialRun"] is True  # an empty query lists the most used routines


def test_short_texts_fit_teams_limits(manifest):
    assert manifest["name"]["short"] == "Rutinebot"
    assert len(manifest["description"]["short"]) <= 80
    assert "rutinehåndbok" in manifest["description"]["short"]


def test_docstring_examples():
    failed, attempted = doctest.testmod(bot.teams.package)
    assert failed == 0 and attempted > 0


# --- the settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app_id", "domain", "message"),
    [
        ("", DOMAIN, "MicrosoftAppId er ikke satt"),
        ("not-a-guid", DOMAIN, "MicrosoftAppId «not-a-guid» er ikke en GUID"),
        ("{" + APP_ID + "}", DOMAIN, "er ikke en GUID"),
        (APP_ID.replace("-", ""), DOMAIN, "er ikke en GUID"),
        (APP_ID + "0", DOMAIN, "er ikke en GUID"),
        (APP_ID, "", "BOT_DOMAIN er ikke satt"),
        (APP_ID, "https://rutinebot.kommune.no", "må være et rent vertsnavn"),
        (APP_ID, "rutinebot.kommune.no/api/messages", "må være et rent vertsnavn"),
        (APP_ID, "rutinebot.kommune.no:443", "må være et rent vertsnavn"),
        (APP_ID, "localhost", "må være et rent vertsnavn"),
        (APP_ID, "*.kommune.no", "må være et rent vertsnavn"),
        (APP_ID, "rutine bot.no", "må være et rent vertsnavn"),
        (APP_ID, "-rutinebot.kommune.no", "må være et rent vertsnavn"),
        (APP_ID, "10.0.0.1", "må være et rent vertsnavn"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(tmp_path, app_id, domain, message):
    out = tmp_path / "app.zip"
    with pytest.raises(PackageError, match=re.escape(message)):
        write_package(app_id, domain, out)
    assert list(tmp_path.iterdir()) == []


def test_both_missing_settings_are_named_at_once():
    with pytest.raises(PackageError) as raised:
        build_manifest("", "")
    assert "MicrosoftAppId er ikke satt" in str(raised.value)
    assert "BOT_DOMAIN er ikke satt" in str(raised.value)


def test_domain_is_lower_cased_and_app_id_kept():
    manifest = build_manifest(APP_ID.upper(), "Rutinebot.Kommune.NO")
    assert manifest["validDomains"] == ["rutinebot.kommune.no"]
    assert manifest["id"] == APP_ID.upper()


# --- the zip, as make package writes it --------------------------------------------------------


def _make_package(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MicrosoftAppId", "BOT_DOMAIN")}
    env.update(settings)
    out = tmp_path / "build" / "rutinebot-teams-app.zip"
    return subprocess.run(
        ["make", "-s", "package", f"PACKAGE={out}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_package_writes_the_zip(tmp_path, validator):
    result = _make_package(tmp_path, MicrosoftAppId=APP_ID, BOT_DOMAIN=DOMAIN)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / "rutinebot-teams-app.zip"
    assert str(out) in result.stdout
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
        for name in ICONS:
            assert archive.read(name) == (MANIFEST_DIR / name).read_bytes()
    assert manifest == build_manifest(APP_ID, DOMAIN)
    assert list(validator.iter_errors(manifest)) == []
    assert [manifest["icons"]["color"], manifest["icons"]["outline"]] == list(ICONS)


def test_make_package_without_settings_fails_clearly(tmp_path):
    result = _make_package(tmp_path)
    assert result.returncode != 0
    assert "Teams-pakken ble ikke laget" in result.stderr
    assert "MicrosoftAppId er ikke satt" in result.stderr
    assert "BOT_DOMAIN er ikke satt" in result.stderr
    assert not (tmp_path / "build").exists()


def test_the_same_settings_give_the_same_zip(tmp_path):
    first = write_package(APP_ID, DOMAIN, tmp_path / "a.zip").read_bytes()
    second = write_package(APP_ID, DOMAIN, tmp_path / "b.zip").read_bytes()
    assert first == second


# --- the icons ---------------------------------------------------------------------------------


def read_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """(width, height, colour type, rows of pixels) of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0
    channels = {2: 3, 6: 4}[colour]  # RGB or RGBA
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    rows, previous = [], bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for x in range(stride):
            a = row[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                row[x] = (row[x] + a) & 0xFF
            elif kind == 2:
                row[x] = (row[x] + b) & 0xFF
            elif kind == 3:
                row[x] = (row[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            else:
                assert kind == 0, f"filter type {kind}"
        rows.append(bytes(row))
        previous = row
    return width, height, colour, rows


def _pixels(rows: list[bytes]) -> list[tuple[int, ...]]:
    return [tuple(row[i : i + 4]) for row in rows for i in range(0, len(row), 4)]


def test_color_icon_is_192_and_opaque_on_the_accent_colour(manifest):
    width, height, colour, rows = read_png(MANIFEST_DIR / manifest["icons"]["color"])
    assert (width, height) == (192, 192)
    accent = tuple(bytes.fromhex(manifest["accentColor"][1:]))
    pixels = _pixels(rows) if colour == 6 else [(*p, 255) for p in _rgb(rows)]
    assert all(pixel[3] == 255 for pixel in pixels)
    assert pixels[0][:3] == accent  # the corner is background
    assert sum(pixel[:3] == (255, 255, 255) for pixel in pixels) > 192 * 192 // 20  # a glyph


def _rgb(rows: list[bytes]) -> list[tuple[int, ...]]:
    return [tuple(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)]


def test_outline_icon_is_32_white_on_transparent(manifest):
    width, height, colour, rows = read_png(MANIFEST_DIR / manifest["icons"]["outline"])
    assert (width, height) == (32, 32)
    assert colour == 6  # has an alpha channel
    pixels = _pixels(rows)
    corners = [pixels[0], pixels[31], pixels[-32], pixels[-1]]
    assert all(alpha == 0 for *_, alpha in corners)
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels if pixel[3] > 0)
    transparent = sum(pixel[3] == 0 for pixel in pixels)
    opaque = sum(pixel[3] == 255 for pixel in pixels)
    assert transparent >= 32 * 32 // 2  # mostly background
    assert opaque >= 32 * 32 // 10  # and a visible glyph


def test_committed_icons_are_what_make_icons_draws():
    spec = importlib.util.spec_from_file_location("make_icons", MANIFEST_DIR / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    drawn = make_icons.icons()
    assert sorted(drawn) == sorted(ICONS)
    for name, data in drawn.items():
        assert (MANIFEST_DIR / name).read_bytes() == data, (
            f"run python3 manifest/make_icons.py ({name})"
        )
