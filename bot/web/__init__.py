"""The bot's public web side: calendar feeds and the Fredagsprat page.

Each module hands the app a list of routes to mount (``app.add_routes(...)``); they share one
:class:`~bot.web.schedule_provider.ScheduleProvider` so the schedule files are read once::

    provider = ScheduleProvider.open(config.schedule_dir, clock=clock)
    app.add_routes(calendar_routes(provider, public_base_url=..., calendar_token=..., clock=clock))
    app.add_routes(page_routes(provider, public_base_url=..., clock=clock))
"""
