"""The bot's features beyond the handbook answers, one folder each: its commands, card actions
(``feature.py``) and cards (``cards.py``) together. May import bot.chat, bot.delivery,
bot.store, bot.pii, bot.clock, handbook and schedule; never bot.teams, bot.web or bot.app.

Each feature's ``feature.py`` has ``register(context)``, the one place where it plugs its text
commands (``replies.on_command``) and buttons (``replies.on_action``) into the dispatcher.
:func:`register_all` calls them in :data:`FEATURES` order; adding a feature is adding a folder
and its name here (its command words go in :data:`bot.chat.commands.COMMANDS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the features only for their types; nothing loads here
    from bot.app import Runtime
    from bot.chat.leaders import Leaders
    from bot.chat.replies import Replies
    from bot.delivery.outbox import Outbox

#: The folders under bot/features/ that register with the dispatcher, in registration order.
#: (``digest`` registers nothing: it is an outbox planning source, wired in bot/app.py.)
FEATURES = ("invitations", "proposals", "welcome", "tickets", "closures")


@dataclass(frozen=True)
class FeatureContext:
    """What a feature is built from: the app's runtime and what the features share."""

    runtime: Runtime
    replies: Replies
    outbox: Outbox  # wakes the outbox worker when a feature plans rows in a turn
    leaders: Leaders
    utc: Callable[[], datetime]  # the app's clock in UTC


def register_all(context: FeatureContext) -> None:
    """Plug every feature in :data:`FEATURES` into ``context.replies``."""
    # Imported here, not at the top: bot.chat imports the tickets feature's cards, and the
    # features import bot.chat.
    for name in FEATURES:
        import_module(f"bot.features.{name}.feature").register(context)
