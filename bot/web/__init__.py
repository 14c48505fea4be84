"""The bot's public web side: calendar feeds and the Fredagsprat page.

Each module hands the app a list of routes to mount; they share one
:class:`~bot.web.schedule_provider.ScheduleProvider`, so the schedule files are read once::

    provider = ScheduleProvider.open(config.schedule_dir, clock=clock)   # blocking: reads files
    app.add_routes(
        calendar_routes(
            provider,
            public_base_url=config.public_base_url,
            calendar_token=config.calendar_token,
            clock=clock,
        )
    )
    app.add_routes(page_routes(provider, public_base_url=config.public_base_url, clock=clock))
    app.add_routes(handbook_routes(lambda: runtime.handbook, clock=clock, contact=...))
    web.run_app(app, ..., access_log_class=RedactingAccessLogger)  # keeps the token out of logs
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
