"""«Spør en fagperson»: expert tickets. ``ekspertkanal`` (a leader), a ticket from a
no-answer card, «Jeg tar den», «Send svar» (which closes the ticket: answered). feature.py:
the flow; cards.py: the ticket cards; the state machine is in bot/store/tickets.py.
"""
