"""A chat turn without the Bot Framework: what a message asks for (``commands``), the button
ids (``card_actions``), the dispatcher and the handbook answers (``replies``), the answer
cards and their building blocks (``cards``) and the vote (``feedback``). Every feature builds
on these. May import bot.pii, bot.clock, bot.store, handbook, schedule, and one feature's
cards: the «Spør en fagperson» button on a no-answer card (bot/features/tickets/cards.py).
"""
