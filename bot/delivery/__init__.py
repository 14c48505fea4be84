"""Delivering planned messages: the durable outbox, the planner that fills it, the retry rules.

No Bot Framework here: the sender (proactive messages through the adapter) and the scheduler loop
in the app use these storage-level, sender-independent pieces:

- :mod:`bot.delivery.planner`: pure functions, schedule + subscriptions + settings → outbox items;
- :mod:`bot.delivery.outbox`: the outbox table's repository (plan, claim with a lease, mark);
- :mod:`bot.delivery.retry`: which HTTP answers are retried, after how long, and how often.

May import bot.store, bot.clock, botbuilder.schema (addressing, sender, updater),
bot.teams.connector_client and bot.features.closures.cards (the sender); never bot.app.
"""
