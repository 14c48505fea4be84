"""Legal references in running text, located so a page can link each to Lovdata.

The references are found by :func:`handbook.legal.find_refs`, the same parser the search
uses, so "§ 17" on a page links to the paragraph the search understands by it
(sosialtjenesteloven when no act is named). "§§ 18 og 19" becomes two links, one per number.

>>> text = "Etter § 18 og § 19 i fvl."
>>> [(text[s:e], ref.url) for s, e, ref in legal_spans(text)]
[('§ 18', 'https://lovdata.no/lov/2009-12-18-131/§18'), ('§ 19 i fvl', 'https://lovdata.no/lov/1967-02-10/§19')]
"""

from __future__ import annotations

import re
from itertools import groupby

from handbook.legal import find_refs
from handbook.model import LegalRef

# A paragraph number as handbook.legal writes it: "17", "25-1", "11 d". Act names hold no
# digits, so within one reference the numbers come in the order of its refs.
_NUMBER = re.compile(r"\d{1,3}(?:\s?-\s?\d{1,2})?(?:\s?[a-h](?![a-zæøå]))?", re.IGNORECASE)


def legal_spans(text: str) -> list[tuple[int, int, LegalRef]]:
    """(start, end, reference) for each reference in ``text``, in order, never overlapping."""
    spans: list[tuple[int, int, LegalRef]] = []
    found = find_refs(text)
    for (start, end), group in groupby(found, key=lambda f: (f.start, f.end)):
        refs = [f.ref for f in group]
        numbers = list(_NUMBER.finditer(text, start, end))
        if len(refs) == 1 or len(numbers) != len(refs):
            spans.append((start, end, refs[0]))
            continue
        # "§§ 18 og 19": the first link covers the marker, the others just their number.
        spans.append((start, numbers[0].end(), refs[0]))
        spans.extend(
            (m.start(), m.end(), ref) for m, ref in zip(numbers[1:], refs[1:], strict=True)
        )
    spans.sort(key=lambda s: s[0])
    kept: list[tuple[int, int, LegalRef]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
