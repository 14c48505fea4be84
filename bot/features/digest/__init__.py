"""The owners' monthly digest and the maintainers' report (``python -m bot report``,
``python -m bot tickets``). report.py: the figures; cards.py: the digest card; planner.py: the
outbox planning source (wired in bot/app.py; no commands or buttons).
"""
