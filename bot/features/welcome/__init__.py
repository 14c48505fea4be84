"""The welcome card's subscription buttons in a team (Fredagsprat, Frister, Begge).
feature.py: the buttons (the card itself is bot.chat.cards.welcome_card, sent on install).
"""
