"""The public Fredagsprat page (``GET /``): upcoming sessions and how to subscribe.

Server-rendered HTML in Norwegian bokmål: no framework, no script, no external fonts; the CSS is
inline and allowed by its hash in the Content-Security-Policy. Every value from the schedule
goes through ``html.escape``. :func:`render_page` is a pure function (schedule, time, base URL
in; HTML out); :func:`page_routes` serves it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web

from schedule import OSLO, Schedule, Session, SessionStatus, norsk

from .calendar import FREDAGSPRAT_PATH, SESSION_PATH
from .schedule_provider import ScheduleProvider

TITLE = "Fredagsprat med Statsforvalteren"

CSS = """
:root { color-scheme: light; --ink: #23262a; --muted: #4f5358; --blue: #0056b4;
  --red: #b00000; --line: #c6c2bf; --focus: #ff9100; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); line-height: 1.5;
  font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 1px solid var(--line); }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .95rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .25rem 0 .5rem; }
h2 { font-size: 1.3rem; margin: 1.25rem 0 .75rem; }
h3 { font-size: 1.1rem; line-height: 1.3; margin: 0 0 .25rem; }
p { margin: .25rem 0; }
.kicker { color: var(--muted); font-size: .95rem; margin: 0; }
a { color: var(--blue); }
a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
ol.sessions, ul.links { list-style: none; margin: 0; padding: 0; }
.session { border: 1px solid var(--line); border-left: .4rem solid var(--blue);
  border-radius: .25rem; padding: .75rem 1rem; margin: 0 0 1rem; }
.session.cancelled { border-left-color: var(--red); }
.badge { display: inline-block; font-size: .85rem; font-weight: 700; line-height: 1.4;
  padding: 0 .4rem; border-radius: .25rem; vertical-align: .1em; }
.badge.cancelled { background: var(--red); color: #fff; }
.badge.moved { background: #fff3dc; color: var(--ink); border: 1px solid #a85d00; }
.badge.now { background: #e3f0ff; color: var(--ink); border: 1px solid var(--blue); }
ul.links { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .6rem; }
ul.links a { display: inline-block; min-height: 2.75rem; padding: .55rem .85rem;
  border: 2px solid var(--blue); border-radius: .25rem; font-weight: 600;
  text-decoration: none; }
ul.links a.primary { background: var(--blue); color: #fff; }
code { overflow-wrap: anywhere; background: #f1f1f1; padding: .1rem .25rem; }
""".strip()


def style_only_csp(css: str, form_action: str) -> str:
    """A Content-Security-Policy whose only allowed resource is the inline ``<style>`` ``css``
    (by its hash); forms may submit to ``form_action``."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; "
        f"base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )


def html_headers(csp: str) -> dict[str, str]:
    """The headers of every HTML page: revalidated each time, and locked down by ``csp``."""
    return {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


# The page's only resource is the inline style above; everything else is forbidden.
CSP = style_only_csp(CSS, "'none'")
HEADERS = html_headers(CSP)


def render_page(schedule: Schedule, now: datetime, public_base_url: str) -> str:
    """The page for ``now``: sessions that have not ended yet, then the subscribe links."""
    base = public_base_url.rstrip("/")
    sessions = sorted((s for s in schedule.sessions if s.ends_at > now), key=lambda s: s.starts_at)
    feed = base + FREDAGSPRAT_PATH
    if sessions:
        listing = '<ol class="sessions">\n' + "".join(_session(s, now, base) for s in sessions)
        listing += "</ol>"
    else:
        listing = "<p>Ingen kommende samlinger er satt opp ennå.</p>"
    return f"""<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE} – kommende samlinger</title>
<style>{CSS}</style>
</head>
<body>
<header>
<p class="kicker">Sosiale tjenester i Nav</p>
<h1>{TITLE}</h1>
<p>En Teams-samling for Nav-kontorene én fredag i måneden, kl. 12:00–13:00.
Temaet legges ut 1–2 uker før.</p>
<p><a href="#abonner">Få alle samlingene i kalenderen din</a></p>
</header>
<main>
<section aria-labelledby="kommende">
<h2 id="kommende">Kommende samlinger</h2>
{listing}
</section>
<section aria-labelledby="abonner">
<h2 id="abonner">Abonner i kalender</h2>
<p>Med et abonnement kommer nye samlinger, temaer og endringer inn i kalenderen din av seg selv.</p>
<ul class="links">
<li><a class="primary" href="{attr(_webcal(feed))}">Abonner i kalender</a></li>
<li><a href="{attr(feed)}">Abonner med https-lenke</a></li>
</ul>
<p>«Abonner i kalender» åpner kalenderprogrammet ditt. I Outlook på nett og Google Kalender
legger du til en kalender «fra Internett» og limer inn adressen
<code>{escape(feed)}</code>.</p>
</section>
</main>
<footer>
<p>Invitasjonen går til lederne, som deler den videre. Alle kan foreslå tema for en samling.</p>
<p>Alle tider er norsk tid.</p>
</footer>
</body>
</html>
"""


def page_routes(
    schedule: ScheduleProvider, *, public_base_url: str, clock: Callable[[], datetime]
) -> list[web.RouteDef]:
    """``GET /``: the Fredagsprat page."""

    async def index(request: web.Request) -> web.Response:
        html = render_page(await schedule.current(), clock(), public_base_url)
        return web.Response(text=html, content_type="text/html", charset="utf-8", headers=HEADERS)

    return [web.get("/", index, name="fredagsprat-page")]


def _session(session: Session, now: datetime, base: str) -> str:
    when = session.when
    cancelled = session.status == SessionStatus.CANCELLED
    badges = []
    if cancelled:
        badges.append('<span class="badge cancelled">Avlyst</span>')
    elif session.status == SessionStatus.MOVED:
        badges.append('<span class="badge moved">Flyttet</span>')
    if not cancelled and session.starts_at <= now:
        badges.append('<span class="badge now">Pågår nå</span>')
    day = norsk.long_date(when.date)
    heading = f"{session.id}-dato"
    stamp = session.starts_at.astimezone(OSLO).isoformat(timespec="minutes")
    lines = [
        f'<h3 id="{attr(heading)}"><time datetime="{stamp}">{escape(day[0].upper() + day[1:])}</time>'
        + "".join(" " + b for b in badges)
        + "</h3>",
        f"<p>kl. {norsk.time_range(when.start, when.end)}</p>",
    ]
    if cancelled:
        lines.append("<p><strong>Samlingen er avlyst.</strong></p>")
    if session.status == SessionStatus.MOVED:
        old = session.slot
        lines.append(
            f"<p>Flyttet fra {norsk.long_date(old.date)} "
            f"kl. {norsk.time_range(old.start, old.end)}.</p>"
        )
    if session.topic or not cancelled:
        lines.append(f'<p class="topic">{_topic(session, now)}</p>')
    if session.note:
        lines.append(f'<p class="note">{escape(session.note)}</p>')
    if not cancelled:
        ics = base + SESSION_PATH.format(session_id=session.id)
        lines.append(
            _links(
                [
                    ("primary", session.join_url, "Bli med i Teams-møtet"),
                    ("", ics, "Legg til i kalender"),
                ],
                described_by=heading,
            )
        )
    css = "session cancelled" if cancelled else "session"
    body = "\n".join(lines)
    return f'<li class="{css}" id="{attr(session.id)}">\n{body}\n</li>\n'


def _topic(session: Session, now: datetime) -> str:
    if session.topic:
        return f"Tema: {escape(session.topic)}"
    published = session.topic_published
    if published and published > now.astimezone(OSLO).date():
        return f"Tema kommer (legges ut {norsk.long_date(published)})"
    return "Tema kommer"


def _links(links: Iterable[tuple[str, str, str]], described_by: str = "") -> str:
    """A row of button-like links; ``described_by`` names the heading they belong to, so a
    screen reader's list of links tells the sessions' "Legg til i kalender" apart."""
    extra = f' aria-describedby="{attr(described_by)}"' if described_by else ""
    items = []
    for css, href, text in links:
        css_attr = f' class="{css}"' if css else ""
        items.append(f'<li><a{css_attr} href="{attr(href)}"{extra}>{escape(text)}</a></li>')
    return f'<ul class="links">{"".join(items)}</ul>'


def attr(value: str) -> str:
    """``value`` escaped for an attribute in double quotes."""
    return escape(value, quote=True)


def _webcal(url: str) -> str:
    """The same address with the ``webcal`` scheme, which opens the calendar program."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))
