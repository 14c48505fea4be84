"""A schedule directory of YAML files → a ``Schedule`` and the problems found.

Files are read with yaml's node API (``yaml.compose``), so every value keeps its line number.
One broken file or entry never takes the rest down: its problems are reported and the good
entries are kept. The file format is described in ``schedule/data/README.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import yaml

from schedule import check
from schedule import fields as F
from schedule.entries import (
    DEADLINE_KEYS,
    NULL_TAG,
    RECURRING_KEYS,
    SESSION_KEYS,
    Fields,
    Items,
    build_deadline,
    build_recurring,
    build_session,
    line_of,
    mapping_items,
    unknown_key_message,
)
from schedule.model import Deadline, Problem, RecurringItem, Schedule, Session

Entry = Session | Deadline | RecurringItem
SECTIONS: dict[str, tuple[tuple[str, ...], Callable[[Fields], Entry | None]]] = {
    "sessions": (SESSION_KEYS, build_session),
    "deadlines": (DEADLINE_KEYS, build_deadline),
    "recurring": (RECURRING_KEYS, build_recurring),
}
TOP_KEYS = (*SECTIONS, "defaults", "timezone")


def schedule_files(directory: Path) -> list[Path]:
    """The YAML files of a schedule directory, in name order (other files are ignored)."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load(directory: Path) -> tuple[Schedule, tuple[Problem, ...]]:
    """Load every ``*.yaml``/``*.yml`` file in ``directory``.

    Returns the schedule of all good entries and the problems (errors and warnings), sorted
    by file and line. Never raises for bad content; an unreadable directory is a problem too.
    """
    if not directory.is_dir():
        return Schedule(), (Problem(directory, 0, "mappen finnes ikke"),)
    problems: list[Problem] = []
    entries: list[Entry] = []
    digest = hashlib.sha256()
    files = schedule_files(directory)
    if not files:
        problems.append(Problem(directory, 0, "ingen .yaml-filer i mappen"))
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
        entries.extend(load_file(path, data, problems))
    entries = check.cross_check(entries, problems)
    schedule = Schedule(
        sessions=tuple(
            sorted((e for e in entries if isinstance(e, Session)), key=lambda s: s.starts_at)
        ),
        deadlines=tuple(
            sorted(
                (e for e in entries if isinstance(e, Deadline)),
                key=lambda d: (d.evaluate_by, d.start),
            )
        ),
        recurring=tuple(e for e in entries if isinstance(e, RecurringItem)),
        fingerprint=digest.hexdigest(),
    )
    unique = dict.fromkeys(problems)  # defaults can repeat a problem for every entry
    return schedule, tuple(sorted(unique, key=lambda p: (str(p.path), p.line)))


def load_file(path: Path, data: bytes, problems: list[Problem]) -> list[Entry]:
    """The good entries of one file; its problems are appended to ``problems``."""
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "filen er ikke UTF-8"))
        return []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(path, line, f"YAML-feil: {exc.problem or exc.context}"))
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        problems.append(
            Problem(path, line_of(root), "filen skal være en tabell med sessions/deadlines/…")
        )
        return []
    top = mapping_items(root, path, problems)
    for key, (key_node, _) in top.items():
        if key not in TOP_KEYS:
            problems.append(Problem(path, line_of(key_node), unknown_key_message(key, TOP_KEYS)))
    if not _file_timezone_ok(path, top, problems):
        return []
    defaults = _defaults(path, top, problems)
    entries: list[Entry] = []
    for section, (allowed, build) in SECTIONS.items():
        if section not in top:
            continue
        node = top[section][1]
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            continue
        if not isinstance(node, yaml.SequenceNode):
            problems.append(Problem(path, line_of(node), f"«{section}» skal være en liste"))
            continue
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                problems.append(
                    Problem(path, line_of(item), f"hvert element i «{section}» skal være en tabell")
                )
                continue
            before = len(problems)
            own = mapping_items(item, path, problems)
            inherited = {k: v for k, v in defaults.get(section, {}).items() if k not in own}
            fields = Fields(
                path, line_of(item), {**inherited, **own}, allowed, problems, frozenset(inherited)
            )
            fields.failed = fields.failed or any(not p.warning for p in problems[before:])
            entry = build(fields)
            fields.report_missing()
            if entry is not None:
                entries.append(entry)
    return entries


def _file_timezone_ok(path: Path, top: Items, problems: list[Problem]) -> bool:
    if "timezone" not in top:
        return True
    node = top["timezone"][1]
    try:
        F.parse_timezone(node.value if isinstance(node, yaml.ScalarNode) else "")
    except F.FieldError as exc:
        problems.append(Problem(path, line_of(node), f"timezone: {exc}; filen er hoppet over"))
        return False
    return True


def _defaults(path: Path, top: Items, problems: list[Problem]) -> dict[str, Items]:
    """``defaults: {sessions: {...}, ...}``: values every entry of that section starts from."""
    if "defaults" not in top:
        return {}
    node = top["defaults"][1]
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line_of(node), "«defaults» skal være en tabell"))
        return {}
    result: dict[str, Items] = {}
    for section, (key_node, value_node) in mapping_items(node, path, problems).items():
        if section not in SECTIONS:
            message = unknown_key_message(section, tuple(SECTIONS))
            problems.append(Problem(path, line_of(key_node), f"defaults: {message}"))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problems.append(Problem(path, line_of(value_node), "skal være en tabell"))
            continue
        allowed = tuple(k for k in SECTIONS[section][0] if k != "id")
        items = mapping_items(value_node, path, problems)
        for key, (inner_key, _) in list(items.items()):
            if key not in allowed:
                message = unknown_key_message(key, allowed)
                if key == "id":
                    message = "«id» kan ikke ha en standardverdi"
                problems.append(Problem(path, line_of(inner_key), f"defaults: {message}"))
                del items[key]
        result[section] = items
    return result
