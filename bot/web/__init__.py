"""The bot's public web side: calendar feeds, the Fredagsprat page and the handbook pages.

Each module hands the app a list of routes to mount (``bot.app.create_app`` mounts them all);
the schedule routes share one :class:`~bot.web.schedule_provider.ScheduleProvider`, so the
schedule files are read once. ``bot.__main__`` serves the app with
``access_log_class=RedactingAccessLogger``, which keeps the feed's token, searches and identity numbers out of the logs.

May import bot.chat (links, the question length), bot.pii, handbook and schedule; no feature.
"""

from bot.web.access_log import RedactingAccessLogger
from bot.web.calendar import calendar_routes
from bot.web.pages import page_routes, render_page
from bot.web.routines import handbook_routes
from bot.web.schedule_provider import ScheduleProvider

__all__ = [
    "RedactingAccessLogger",
    "ScheduleProvider",
    "calendar_routes",
    "handbook_routes",
    "page_routes",
    "render_page",
]
