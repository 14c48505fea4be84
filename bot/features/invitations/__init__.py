"""Fredagsprat invitations: ``inviter`` (a leader), the card with «Send invitasjonen», the
answer buttons (RSVP) and the report card to the leader. feature.py: commands and buttons;
cards.py: every card and its wording.
"""
