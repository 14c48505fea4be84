"""Closing reminders and reviews: «Markér som evaluert/utført» on deadline and yearly-cycle
reminders, «Markér som gjennomgått» on review reminders, and ``eierkanal``. feature.py: the
buttons and the command; cards.py: the reminder and closed cards.
"""
