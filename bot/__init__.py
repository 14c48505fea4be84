"""Rutinebot's Teams bot: the only package that knows the Bot Framework.

from bot import Config, create_app
app = create_app(Config.from_env())
"""

from bot.app import create_app
from bot.config import Config
from bot.handler import RutineBot

__all__ = ["Config", "RutineBot", "create_app"]
