"""Rutinebot's handbook: the office's routines as Markdown, and Norwegian full-text search over them.

Knows nothing of Teams. The public surface::

    from handbook import Handbook
    hb = Handbook.open()                      # the shipped handbook, index under a temp/DATA dir
    result = hb.search("bruker søkte muntlig på telefon", k=3)
    result.confident, result.hits[0].routine_id
    hb.routine("muntlig-soknad")              # the whole routine
"""

from handbook.model import Hit, LegalRef, Problem, Routine, SearchResult, Section
from handbook.service import Handbook

__all__ = ["Handbook", "Hit", "LegalRef", "Problem", "Routine", "SearchResult", "Section"]
