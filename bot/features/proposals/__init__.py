"""Topic proposals for Fredagsprat: ``foreslå tema <tekst>`` (anyone) and ``arrangørkanal``
(a leader chooses where they go). feature.py: the commands (no cards: a proposal is text).
"""
