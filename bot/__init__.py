"""Rutinebot's Teams bot: the only package that knows the Bot Framework.

Rooms: teams/ (Bot Framework), chat/ (a turn in plain data), features/<feature>/, delivery/,
store/, web/; app.py wires them. handbook/ and schedule/ never import bot/.

from bot import Config, create_app
app = create_app(Config.from_env())

These names are imported on first use, so ``python -m bot package`` and ``python -m bot report``
(and ``import bot.pii``) do not load the Bot Framework first.
"""

from importlib import import_module

_EXPORTS = {"Config": "bot.config", "RutineBot": "bot.teams.handler", "create_app": "bot.app"}

__all__ = ["Config", "RutineBot", "create_app"]


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
