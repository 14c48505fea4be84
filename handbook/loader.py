"""Reads a handbook directory: routine Markdown files with YAML front matter, and the synonym file.

A problem in one file never stops the others: :func:`load_handbook` returns every routine it could
read and a :class:`~handbook.model.Problem` (``file:line: message``) for everything it could not.
Messages are Norwegian: they are read by the people who maintain the handbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from handbook.legal import parse_ref
from handbook.model import ASSURED_BY, LegalRef, Problem, Routine, Section

SYNONYM_FILE = "synonymer.yaml"
REQUIRED = ("id", "title", "owner", "revised", "review_by", "legal")
OPTIONAL = ("theme", "tags", "synonyms", "source", "sporsmal")  # source: the Word file it came from
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"\[([^\]]*)\]\(rutine:([^)\s#]*)(?:#[^)\s]*)?\)")
NOT_ASSURED = "; rutinen er med i søket, merket «Ikke kvalitetssikret ennå»"
HEADING_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$")


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported at its own line."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Link:
    target: str
    line: int


@dataclass(frozen=True)
class ParsedRoutine:
    routine: Routine
    links: tuple[Link, ...]
    field_lines: dict[str, int]


@dataclass(frozen=True)
class SynonymGroup:
    phrases: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class LoadedHandbook:
    routines: tuple[ParsedRoutine, ...]
    synonyms: tuple[SynonymGroup, ...]
    problems: tuple[Problem, ...]


def slugify(text: str) -> str:
    """A stable id from a title: ``Økonomisk rådgivning`` → ``okonomisk-radgivning``."""
    text = text.lower()
    for old, new in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("é", "e"), ("§", "")):
        text = text.replace(old, new)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def routine_files(directory: Path) -> list[Path]:
    """The routine files below ``directory`` (README and ``_``-prefixed files are not routines)."""
    return sorted(
        path
        for path in directory.rglob("*.md")
        if not path.name.startswith(("_", ".")) and path.name.lower() != "readme.md"
    )


class _FileProblems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int, message: str, warning: bool = False, todo: bool = False) -> None:
        self.items.append(Problem(self.path, line, message, warning or todo, todo))


def split_front_matter(text: str) -> tuple[list[str], list[str], int] | None:
    """(front-matter lines, body lines, the body's first line number), or None without ``---``."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return lines[1:index], lines[index + 1 :], index + 2
    return None


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _is_todo(value: object) -> bool:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return isinstance(value, str) and value.strip().upper() == "TODO"


def _as_strings(value: object) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    return None


def _questions(value: object, line: int, problems: _FileProblems) -> tuple[str, ...]:
    """The example questions (``sporsmal``): a list of strings; an empty one is left out."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | None) for v in value):
        problems.add(
            line,
            "«sporsmal» må være en liste med spørsmål som tekst, ett per linje"
            " (sett anførselstegn rundt et spørsmål med kolon)",
        )
        return ()
    kept = tuple(v.strip() for v in value if v and v.strip())
    if len(kept) < len(value):
        problems.add(line, "«sporsmal» har et tomt spørsmål, som er hoppet over", warning=True)
    return kept


def _parse_yaml(source: str) -> tuple[yaml.Node | None, object]:
    """The node tree (for each key's line) and the data, from one parse (as ``yaml.load`` does)."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _front_matter(
    lines: list[str], problems: _FileProblems
) -> tuple[dict[str, object], dict[str, int]] | None:
    try:
        node, data = _parse_yaml("\n".join(lines))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        started = (
            f" (det som er galt, begynner på linje {error.context_mark.line + 2})"
            if error.context_mark and mark and error.context_mark.line != mark.line
            else ""
        )
        problems.add(
            (mark.line + 2) if mark else 1, f"ugyldig YAML i toppteksten: {error.problem}{started}"
        )
        return None
    except (yaml.YAMLError, ValueError) as error:
        problems.add(1, f"ugyldig YAML i toppteksten: {error}")
        return None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.add(1, "toppteksten må være nøkler og verdier (id: …, title: …)")
        return None
    field_lines = {
        str(key.value): key.start_mark.line + 2 for key, _ in node.value if hasattr(key, "value")
    }
    return data, field_lines


def _sections(
    body: list[str], first_line: int, problems: _FileProblems
) -> tuple[str, list[Section], list[Link]]:
    intro: list[str] = []
    sections: list[tuple[str, int, list[str]]] = []
    links: list[Link] = []
    for offset, line in enumerate(body):
        number = first_line + offset
        for match in LINK_RE.finditer(line):
            links.append(Link(match.group(2), number))
        heading = HEADING_RE.match(line)
        if heading:
            sections.append((heading.group(1).strip(), number, []))
        elif sections:
            sections[-1][2].append(line)
        elif not line.startswith("# "):
            intro.append(line)
    result, anchors = [], set()
    for heading, number, lines in sections:
        text = "\n".join(lines).strip()
        if not text:
            problems.add(number, f"seksjonen «{heading}» er tom")
            continue
        anchor = slugify(heading) or "seksjon"
        while anchor in anchors:
            anchor += "-2"
        anchors.add(anchor)
        result.append(Section(heading, anchor, text, number))
    return "\n".join(intro).strip(), result, links


def parse_routine(
    path: Path, text: str, today: date | None = None
) -> tuple[ParsedRoutine | None, list[Problem]]:
    """Parse one routine file. Returns ``None`` for the routine when it cannot be used at all."""
    problems = _FileProblems(path)
    split = split_front_matter(text)
    if split is None:
        problems.add(1, "mangler topptekst: filen må starte med '---', YAML-felter og '---'")
        return None, problems.items
    front_lines, body, body_start = split
    parsed = _front_matter(front_lines, problems)
    if parsed is None:
        return None, problems.items
    data, field_lines = parsed

    def line_of(key: str) -> int:
        return field_lines.get(key, 1)

    usable = True
    missing: set[str] = set()  # metadata still to be filled in: the routine is served, marked
    for key in REQUIRED:
        if _is_todo(data.get(key)):
            # Left by `python -m handbook import` where the document did not say.
            problems.add(
                line_of(key), f"«{key}» er ikke fylt ut ennå (TODO){NOT_ASSURED}", todo=True
            )
            data.pop(key)
            missing.add(key)
        elif data.get(key) in (None, "", []):
            if key in ASSURED_BY:
                problems.add(line_of(key), f"mangler feltet «{key}»{NOT_ASSURED}", todo=True)
                missing.add(key)
            else:
                problems.add(1, f"mangler feltet «{key}»")
                usable = False
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            problems.add(line_of(str(key)), f"ukjent felt «{key}» (skrivefeil?)", warning=True)

    routine_id = str(data.get("id") or "")
    if routine_id and not ID_RE.match(routine_id):
        problems.add(line_of("id"), f"id «{routine_id}» må være små bokstaver, tall og bindestrek")
        usable = False
    elif routine_id and routine_id != path.stem:
        problems.add(line_of("id"), f"id «{routine_id}» er ikke lik filnavnet", warning=True)

    # A wrong date or reference is an error for `check`, but it never hides the routine's text:
    # the field counts as missing and the routine is answered, marked as not quality-assured.
    dates: dict[str, date] = {}
    for key in ("revised", "review_by"):
        if data.get(key) is None:
            continue
        value = _as_date(data[key])
        if value is None:
            problems.add(line_of(key), f"«{key}» må være en dato (ÅÅÅÅ-MM-DD), ikke «{data[key]}»")
            missing.add(key)
        else:
            dates[key] = value
    if today and "review_by" in dates and dates["review_by"] < today:
        problems.add(
            line_of("review_by"),
            f"rutinen skulle vært gjennomgått innen {dates['review_by'].isoformat()}",
            warning=True,
        )

    legal: list[LegalRef] = []
    entries = _as_strings(data.get("legal"))
    if entries is None:
        problems.add(line_of("legal"), "«legal» må være en liste med lovhenvisninger")
        entries = []
    for entry in entries:
        ref = parse_ref(entry)
        if ref is None:
            problems.add(line_of("legal"), f"forstår ikke lovhenvisningen «{entry}»")
        else:
            legal.append(ref)
    if not legal:
        missing.add("legal")

    lists: dict[str, tuple[str, ...]] = {}
    for key in ("tags", "synonyms"):
        values = _as_strings(data.get(key))
        if values is None:
            problems.add(line_of(key), f"«{key}» må være en liste med ord")
            values = []
        lists[key] = tuple(values)
    questions = _questions(data.get("sporsmal"), line_of("sporsmal"), problems)

    summary, sections, links = _sections(body, body_start, problems)
    if not sections:
        problems.add(body_start, "rutinen har ingen ikke-tomme seksjoner (overskrifter med '## ')")
        usable = False
    if not usable:
        return None, problems.items

    routine = Routine(
        id=routine_id,
        title=str(data["title"]).strip(),
        owner=str(data.get("owner") or "").strip() or None,
        revised=dates.get("revised"),
        review_by=dates.get("review_by"),
        legal=tuple(legal),
        sections=tuple(sections),
        path=path,
        theme=str(data.get("theme") or "").strip(),
        tags=lists["tags"],
        synonyms=lists["synonyms"],
        summary=summary,
        questions=questions,
        missing_at=tuple((key, line_of(key)) for key in ASSURED_BY if key in missing),
    )
    return ParsedRoutine(routine, tuple(links), field_lines), problems.items


def load_synonyms(path: Path) -> tuple[list[SynonymGroup], list[Problem]]:
    """The synonym groups: a YAML list of lists (each inner list: words that mean the same)."""
    if not path.exists():
        return [], []
    problems = _FileProblems(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        problems.add(1, f"kan ikke lese filen: {error}")
        return [], problems.items
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.add(mark.line + 1 if mark else 1, f"ugyldig YAML: {error.problem}")
        return [], problems.items
    if node is None:
        return [], []
    if not isinstance(node, yaml.SequenceNode):
        problems.add(1, "synonymfilen må være en liste av grupper: - [ord, uttrykk, …]")
        return [], problems.items
    groups = []
    for item in node.value:
        line = item.start_mark.line + 1
        phrases = (
            [str(v.value).strip() for v in item.value if isinstance(v, yaml.ScalarNode)]
            if isinstance(item, yaml.SequenceNode)
            else []
        )
        phrases = [p for p in phrases if p]
        if len(phrases) < 2:
            problems.add(line, "en synonymgruppe må ha minst to ord eller uttrykk")
            continue
        groups.append(SynonymGroup(tuple(phrases), line))
    return groups, problems.items


def _read(path: Path) -> tuple[str | None, Problem | None]:
    try:
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError:
        return None, Problem(path, 1, "filen er ikke UTF-8-tekst")
    except OSError as error:
        return None, Problem(path, 1, f"kan ikke lese filen: {error.strerror}")


def iter_parsed(
    directory: Path, today: date | None = None
) -> Iterator[tuple[Path, ParsedRoutine | None, list[Problem]]]:
    for path in routine_files(directory):
        text, problem = _read(path)
        if text is None:
            yield path, None, [problem]
            continue
        parsed, problems = parse_routine(path, text, today)
        yield path, parsed, problems


def load_handbook(directory: Path, today: date | None = None) -> LoadedHandbook:
    """Every readable routine in ``directory``, the synonyms, and every problem found.

    Cross-file checks happen here too: a duplicate id (the later file is left out) and a link
    to a routine id that does not exist.
    """
    problems: list[Problem] = []
    if not directory.is_dir():
        return LoadedHandbook((), (), (Problem(directory, 0, "finner ikke håndbokmappen"),))
    routines: dict[str, ParsedRoutine] = {}
    for path, parsed, file_problems in iter_parsed(directory, today):
        problems.extend(file_problems)
        if parsed is None:
            continue
        first = routines.get(parsed.routine.id)
        if first is not None:
            problems.append(
                Problem(
                    path,
                    parsed.field_lines.get("id", 1),
                    f"id «{parsed.routine.id}» er allerede brukt i {first.routine.path.name}",
                )
            )
            continue
        routines[parsed.routine.id] = parsed
    for parsed in routines.values():
        for link in parsed.links:
            if link.target not in routines:
                problems.append(
                    Problem(
                        parsed.routine.path,
                        link.line,
                        f"lenke til rutinen «{link.target}», som ikke finnes",
                    )
                )
    synonyms, synonym_problems = load_synonyms(directory / SYNONYM_FILE)
    problems.extend(synonym_problems)
    return LoadedHandbook(tuple(routines.values()), tuple(synonyms), tuple(problems))
