"""The handbook's pages as pure functions: routines, a day and search results in, HTML out.

Every value from the handbook or the question goes through ``html.escape``; routine bodies go
through :mod:`bot.web.markdown`, which escapes raw HTML. Links between pages are relative
(``rutiner/klage`` from the list, ``klage`` between routines), so the site works below any
path prefix a reverse proxy gives it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

from bot.chat.cards import lovdata_url
from bot.chat.routine_links import routine_path
from handbook import Hit, LegalRef, Routine, SearchResult
from handbook.index import plain_text
from handbook.loader import LINK_RE
from handbook.model import INTRO_ANCHOR
from schedule.norsk import day_month_year

from .layout import SITE, attr, document, search_form
from .markdown import render

OTHER_THEME = "Andre rutiner"
SUMMARY_CHARS = 220
NO_ANSWER = "Jeg fant ikke et sikkert svar i rutinehåndboka."
PII_REMOVED = (
    "Søket så ut til å inneholde et fødselsnummer eller D-nummer. Det er fjernet og ble ikke "
    "brukt i søket. Ikke skriv personopplysninger her."
)


def norwegian_key(text: str) -> str:
    """Sorts as the Norwegian alphabet does: æ, ø, å after z."""
    return text.casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})


@dataclass(frozen=True)
class Catalogue:
    """One version of the handbook, arranged for the pages (built once per version)."""

    routines: tuple[Routine, ...]
    by_id: dict[str, Routine] = field(default_factory=dict)
    themes: tuple[tuple[str, tuple[Routine, ...]], ...] = ()
    linked_from: dict[str, tuple[Routine, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, routines: Sequence[Routine]) -> Catalogue:
        by_theme: dict[str, list[Routine]] = {}
        for routine in routines:
            by_theme.setdefault(routine.theme, []).append(routine)
        named = sorted((t for t in by_theme if t), key=norwegian_key)
        themes = [(t, by_theme[t]) for t in named]
        if "" in by_theme:  # routines without a theme come last
            themes.append((OTHER_THEME, by_theme[""]))
        linked: dict[str, dict[str, Routine]] = {}
        for routine in routines:
            texts = [routine.summary, *(s.body for s in routine.sections)]
            for match in LINK_RE.finditer("\n".join(texts)):
                if match.group(2) != routine.id:
                    linked.setdefault(match.group(2), {})[routine.id] = routine
        return cls(
            routines=tuple(routines),
            by_id={r.id: r for r in routines},
            themes=tuple(
                (theme, tuple(sorted(rs, key=lambda r: norwegian_key(r.title))))
                for theme, rs in themes
            ),
            linked_from={
                target: tuple(sorted(rs.values(), key=lambda r: norwegian_key(r.title)))
                for target, rs in linked.items()
            },
        )


def _time(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{day_month_year(day)}</time>'


def _href(root: str, routine_id: str, anchor: str = "") -> str:
    """A routine's address relative to the page (``root`` leads to the site's root)."""
    return root + routine_path(routine_id, anchor).lstrip("/")


def _legal_link(ref: LegalRef) -> str:
    return f'<a href="{attr(lovdata_url(ref))}">{escape(ref.text)}</a>'


def _legal_links(refs: Sequence[LegalRef]) -> str:
    return " · ".join(_legal_link(r) for r in refs)


def _routine_list(root: str, routines: Sequence[tuple[str, str]]) -> str:
    """``<li>`` links to (routine id, title) pairs, relative to ``root``."""
    return "".join(
        f'<li><a href="{attr(_href(root, routine_id))}">{escape(title)}</a></li>'
        for routine_id, title in routines
    )


MISSING = '<span class="missing">ikke fylt ut</span>'


def _overdue(routine: Routine, today: date) -> bool:
    return routine.review_by is not None and routine.review_by < today


def _not_assured(note: str) -> str:
    """The marking of a routine whose owner, dates or legal basis are not filled in yet."""
    return f'<span class="badge not-assured">{escape(note)}</span>' if note else ""


def _summary(routine: Routine) -> str:
    text = re.sub(r"\s+", " ", plain_text(routine.summary)).strip()
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text.rfind(" ", 0, SUMMARY_CHARS)
    return text[: cut if cut > 0 else SUMMARY_CHARS].rstrip(" ,.;:") + " …"


def excerpt_html(excerpt: str) -> str:
    """A hit's excerpt, its matched words (``**ord**``) marked."""
    return re.sub(r"\*\*(.+?)\*\*", r"<mark>\1</mark>", escape(excerpt))


# --- /rutiner ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """A question asked on the list page and the handbook's answer."""

    query: str
    result: SearchResult
    pii_removed: bool = False
    contact: str = ""


def list_page(
    catalogue: Catalogue, today: date, search: Search | None = None, listing: str | None = None
) -> str:
    """``/rutiner``: the search box, the answer to a question if one was asked, every routine
    grouped by theme (``listing``: that part as :func:`all_routines` made it, if kept)."""
    query = search.query if search else ""
    parts = [f"<h1>{SITE}</h1>", search_form("rutiner", query)]
    if search is not None:
        parts.append(_search_section(search))
    parts.append(listing if listing is not None else all_routines(catalogue, today))
    title = f"«{query}» – søk i rutinene" if search else f"Rutiner – {SITE}"
    return document(title=title, main="\n".join(parts), root="", current="rutiner")


def _search_section(search: Search) -> str:
    result = search.result
    lines = ['<section aria-labelledby="_svar">', '<h2 id="_svar">Søkeresultat</h2>']
    if search.pii_removed:
        lines.append(f'<p class="notice" role="status">{escape(PII_REMOVED)}</p>')
    hits = list(result.hits)
    if result.confident and hits:
        lines.append(f"<p>Rutinen som passer best til «{escape(search.query)}»:</p>")
        lines.append(_hit(hits[0], level=3, best=True))
        if hits[1:]:
            lines.append("<h3>Se også</h3>")
            lines.append(_hits(hits[1:], level=4))
    else:
        lines.append(f'<p class="notice"><strong>{NO_ANSWER}</strong></p>')
        if hits:
            lines.append("<h3>Kanskje en av disse rutinene hjelper</h3>")
            lines.append(_hits(hits, level=4))
        else:
            lines.append("<p>Ingen rutiner passet til søket. Prøv gjerne andre ord.</p>")
        owner = (
            f"Rutinehåndboka eies av {escape(search.contact)}."
            if search.contact
            else "Spør fagansvarlig ved kontoret."
        )
        lines.append(f"<p>{owner}</p>")
    lines.append("</section>")
    return "\n".join(lines)


def _hits(hits: Sequence[Hit], level: int) -> str:
    return '<ul class="hits">\n' + "".join(_hit(h, level) for h in hits) + "</ul>"


def _hit(hit: Hit, level: int, best: bool = False) -> str:
    css = "hit best" if best else "hit"
    tag = "div" if best else "li"
    meta = [f"Revidert {_time(hit.revised)}"] if hit.revised else []
    if hit.legal:
        meta.insert(0, "Lovgrunnlag: " + _legal_links(hit.legal))
    if hit.not_assured:
        meta.append(_not_assured(hit.not_assured))
    return (
        f'<{tag} class="{css}">'
        f'<h{level}><a href="{attr(_href("", hit.routine_id, hit.section_anchor))}">'
        f"{escape(hit.title)}</a></h{level}>\n"
        f'<p class="meta">{escape(hit.section)}</p>\n'
        f"<p>{excerpt_html(hit.excerpt)}</p>\n"
        f'<p class="meta">{" · ".join(meta)}</p>'
        f"</{tag}>\n"
    )


def all_routines(catalogue: Catalogue, today: date) -> str:
    """Every routine, grouped by theme: the part of the list page that does not depend on the
    question."""
    lines = ['<section aria-labelledby="_alle">', '<h2 id="_alle">Alle rutiner etter tema</h2>']
    if not catalogue.routines:
        lines.append("<p>Håndboka har ingen rutiner ennå.</p>")
    if len(catalogue.themes) > 1:
        links = "".join(
            f'<li><a href="#_tema{i}">{escape(theme)}</a> ({len(rs)})</li>'
            for i, (theme, rs) in enumerate(catalogue.themes)
        )
        lines.append(f'<nav aria-label="Temaer"><ul>{links}</ul></nav>')
    for i, (theme, routines) in enumerate(catalogue.themes):
        lines.append(f'<h3 id="_tema{i}">{escape(theme)}</h3>')
        lines.append('<ul class="routines">')
        for routine in routines:
            lines.append(_routine_item(routine, today))
        lines.append("</ul>")
    lines.append("</section>")
    return "\n".join(lines)


def _routine_item(routine: Routine, today: date) -> str:
    summary = _summary(routine)
    meta = [f"Revidert {_time(routine.revised)}"] if routine.revised else []
    if _overdue(routine, today):
        meta.append('<span class="badge overdue">Gjennomgang forfalt</span>')
    if routine.not_assured:
        meta.append(_not_assured(routine.not_assured))
    return (
        f'<li class="routine"><h4><a href="{attr(_href("", routine.id))}">'
        f"{escape(routine.title)}</a></h4>\n"
        + (f"<p>{escape(summary)}</p>\n" if summary else "")
        + (f'<p class="meta">{" · ".join(meta)}</p>' if meta else "")
        + "</li>"
    )


# --- /rutiner/<id> -------------------------------------------------------------------------


def routine_page(catalogue: Catalogue, routine: Routine, today: date) -> str:
    """``/rutiner/<id>``: the whole routine, its sections anchored by their search anchors."""

    def routine_href(target: str, anchor: str) -> str | None:
        if target not in catalogue.by_id:
            return None
        if target == routine.id:
            return f"#{anchor}" if anchor else "#_hoved"
        return _href("../", target, anchor)

    crumbs = '<a href="../rutiner">Alle rutiner</a>'
    if routine.theme:
        crumbs += f" · {escape(routine.theme)}"
    parts = [
        f'<p class="meta">{crumbs}</p>',
        "<article>",
        f"<h1>{escape(routine.title)}</h1>",
    ]
    if routine.not_assured:
        parts.append(
            f'<p class="notice not-assured"><strong>{escape(routine.not_assured)}.</strong> '
            "Teksten er hentet fra kontorets rutinehåndbok, men er ikke gått gjennom ennå.</p>"
        )
    parts.append(_facts(routine, today))
    if routine.summary:
        intro = render(routine.summary, routine_href=routine_href, top_heading=2)
        anchor = attr(INTRO_ANCHOR)  # where a hit on the introduction links to
        parts.append(f'<div class="routine-body intro" id="{anchor}">{intro}</div>')
    if len(routine.sections) > 1:
        toc = "".join(
            f'<li><a href="#{attr(s.anchor)}">{escape(s.heading)}</a></li>'
            for s in routine.sections
        )
        parts.append(
            '<nav class="toc" aria-labelledby="_innhold"><h2 id="_innhold">Innhold</h2>'
            f'<ol class="toc">{toc}</ol></nav>'
        )
    parts.append('<div class="routine-body">')
    for section in routine.sections:
        body = render(section.body, routine_href=routine_href, top_heading=3)
        parts.append(
            f'<section>\n<h2 id="{attr(section.anchor)}">{escape(section.heading)}</h2>\n'
            f"{body}</section>"
        )
    parts.append("</div>")
    referring = catalogue.linked_from.get(routine.id, ())
    if referring:
        items = _routine_list("../", [(r.id, r.title) for r in referring])
        parts.append(
            '<section aria-labelledby="_viser_hit">'
            '<h2 id="_viser_hit">Rutiner som viser til denne</h2>'
            f"<ul>{items}</ul></section>"
        )
    parts.append("</article>")
    return document(
        title=f"{routine.title} – {SITE}",
        main="\n".join(parts),
        root="../",
        header_extra=search_form("../rutiner"),
    )


def _facts(routine: Routine, today: date) -> str:
    review = _time(routine.review_by) if routine.review_by else MISSING
    if _overdue(routine, today):
        review += (
            ' <span class="badge overdue">Forfalt</span> '
            "Rutinen skulle vært gjennomgått innen denne datoen."
        )
    facts = [
        ("Eier", escape(routine.owner) if routine.owner else MISSING),
        ("Revidert", _time(routine.revised) if routine.revised else MISSING),
        ("Neste gjennomgang", review),
    ]
    if routine.legal:
        items = "".join(f"<li>{_legal_link(r)}</li>" for r in routine.legal)
        facts.append(("Lovgrunnlag", f'<ul class="legal">{items}</ul>'))
    rows = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    return f'<dl class="facts">{rows}</dl>'


# --- errors --------------------------------------------------------------------------------


def not_found_page(routine_id: str, suggestions: Sequence[Hit] = ()) -> str:
    """404 for ``/rutiner/<id>`` with an id no routine has; ``suggestions`` from a search for
    the words of the id."""
    shown = routine_id if len(routine_id) <= 80 else routine_id[:80] + "…"
    parts = [
        "<h1>Fant ikke rutinen</h1>",
        f"<p>Det finnes ingen rutine med adressen «{escape(shown)}» i rutinehåndboka. "
        "Den kan ha fått nytt navn eller blitt fjernet.</p>",
    ]
    if suggestions:
        items = _routine_list("../", [(h.routine_id, h.title) for h in suggestions])
        parts.append(f"<h2>Kanskje du mente</h2>\n<ul>{items}</ul>")
    parts.append('<p><a href="../rutiner">Se alle rutinene</a>, eller søk:</p>')
    parts.append(search_form("../rutiner"))
    return document(title=f"Fant ikke rutinen – {SITE}", main="\n".join(parts), root="../")


def too_long_page() -> str:
    """400 for a question longer than the bot would take."""
    parts = [
        "<h1>Søket er for langt</h1>",
        "<p>Skriv det kort, gjerne med noen stikkord, for eksempel «muntlig søknad på "
        "telefon».</p>",
        search_form("rutiner"),
    ]
    return document(
        title=f"Søket er for langt – {SITE}", main="\n".join(parts), root="", current="rutiner"
    )
