"""The frame every handbook page shares: document head, skip link, header with the site
navigation and search, footer; the stylesheet and the Content-Security-Policy that allows it.

The look is the Fredagsprat page's (its stylesheet, CSP rule and headers are reused as
they are), with what the handbook pages add. The only resource is the inline ``<style>``, allowed by its hash; no script, no
external fonts. ``form-action 'self'`` lets the search form submit to this site and nowhere else.

Ids the frame uses contain an underscore, which a section anchor (``handbook.loader.slugify``:
``a-z``, ``0-9`` and ``-``) never does, so a heading can never take the id of a landmark.
"""

from __future__ import annotations

from html import escape

from bot.chat.replies import MAX_QUESTION_CHARS as MAX_QUERY_CHARS  # the bot's own limit

from .pages import CSS as FREDAGSPRAT_CSS
from .pages import attr, html_headers, style_only_csp

SITE = "Rutinehåndbok for sosiale tjenester"
MAIN_ID = "_hoved"
SEARCH_ID = "_sok"
#: The query parameter of the search form (``/rutiner?q=…``).
SEARCH_PARAM = "q"

HANDBOOK_CSS = """
.skip { position: absolute; left: .5rem; top: -4rem; z-index: 1; padding: .5rem .75rem;
  background: var(--ink); color: #fff; font-weight: 700; }
.skip:focus { top: .5rem; }
main { overflow-wrap: break-word; }
main:focus { outline: none; }
nav.site ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem;
  margin: .5rem 0 0; padding: 0; }
nav.site a { font-weight: 600; }
nav.site a[aria-current] { color: var(--ink); text-decoration-thickness: 3px; }
form.search { margin: .75rem 0 1rem; }
form.search label { display: block; font-weight: 700; margin-bottom: .25rem; }
.search-row { display: flex; flex-wrap: wrap; gap: .5rem; }
.search-row input { flex: 1 1 12rem; min-width: 0; min-height: 2.75rem; padding: .5rem .6rem;
  font: inherit; color: var(--ink); border: 2px solid var(--muted); border-radius: .25rem; }
.search-row button { min-height: 2.75rem; padding: .5rem 1.1rem; font: inherit;
  font-weight: 700; color: #fff; background: var(--blue); border: 2px solid var(--blue);
  border-radius: .25rem; cursor: pointer; }
input:focus-visible, button:focus-visible, main:focus-visible, h2:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.hint { color: var(--muted); font-size: .95rem; }
.notice { border-left: .4rem solid #a85d00; background: #fff3dc; padding: .5rem .75rem;
  margin: .75rem 0; }
ul.hits, ul.routines, ol.toc, ul.legal { margin: 0; padding: 0; list-style: none; }
.hit, .routine { border: 1px solid var(--line); border-left: .4rem solid var(--blue);
  border-radius: .25rem; padding: .75rem 1rem; margin: 0 0 1rem; }
.hit.best { border-left-color: #06893a; }
.hit h3, .hit h4, .routine h4 { font-size: 1.1rem; line-height: 1.3; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: .95rem; }
mark { background: #ffe9a8; color: var(--ink); padding: 0 .1rem; }
.badge.overdue, .badge.not-assured { background: #fff3dc; color: var(--ink);
  border: 1px solid #a85d00; }
.missing { color: var(--muted); font-style: italic; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem;
  margin: .75rem 0 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
nav.toc { border: 1px solid var(--line); border-radius: .25rem; padding: .5rem 1rem;
  margin: 1rem 0; }
nav.toc h2 { font-size: 1.1rem; margin: .25rem 0 .5rem; }
ol.toc li { margin: .25rem 0; }
.routine-body h2 { scroll-margin-top: 1rem; padding-top: .25rem; }
.routine-body h2:target { background: #e3f0ff; box-shadow: -.5rem 0 0 #e3f0ff, .5rem 0 0 #e3f0ff; }
.routine-body ul, .routine-body ol { padding-left: 1.4rem; }
.routine-body li { margin: .2rem 0; }
.table { overflow-x: auto; }
.table table { border-collapse: collapse; }
.table th, .table td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; }
@media (max-width: 30rem) {
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
""".strip()

CSS = FREDAGSPRAT_CSS + "\n" + HANDBOOK_CSS

CSP = style_only_csp(CSS, "'self'")
HEADERS = html_headers(CSP)


def search_form(action: str, query: str = "") -> str:
    """The search box (GET ``?q=``, :data:`SEARCH_PARAM`); ``action`` is the list page, relative to the current one."""
    return f"""<form class="search" role="search" action="{attr(action)}" method="get">
<label for="{SEARCH_ID}">Søk i rutinene</label>
<div class="search-row">
<input id="{SEARCH_ID}" name="{SEARCH_PARAM}" type="search" value="{attr(query)}" maxlength="{MAX_QUERY_CHARS}" autocomplete="off" aria-describedby="{SEARCH_ID}_hint">
<button type="submit">Søk</button>
</div>
<p class="hint" id="{SEARCH_ID}_hint">Skriv som du ville spurt en kollega, for eksempel «muntlig søknad på telefon».</p>
</form>"""


def document(
    *, title: str, main: str, root: str, current: str | None = None, header_extra: str = ""
) -> str:
    """A whole page. ``root`` leads from this page to the site's root (``""`` from
    ``/rutiner``, ``"../"`` from ``/rutiner/<id>``), so links work below any path prefix."""
    nav = [("rutiner", "Rutiner"), ("", "Fredagsprat")]
    items = "".join(
        f'<li><a href="{attr(root + href or "./")}"'
        + (' aria-current="page"' if current is not None and current == href else "")
        + f">{escape(text)}</a></li>"
        for href, text in nav
    )
    return f"""<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<a class="skip" href="#{MAIN_ID}">Hopp til hovedinnholdet</a>
<header>
<p class="kicker">Sosiale tjenester i Nav</p>
<nav class="site" aria-label="Hovedmeny"><ul>{items}</ul></nav>
{header_extra}
</header>
<main id="{MAIN_ID}" tabindex="-1">
{main}
</main>
<footer>
<p>Rutinene er kontorets egne. Lovhenvisningene lenker til Lovdata.</p>
<p>Spør Rutinebot i Teams, eller skriv til fagansvarlig hvis noe mangler eller er feil.</p>
</footer>
</body>
</html>
"""
