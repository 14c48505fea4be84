"""Adding an example question to a routine file's front matter (``sporsmal:``), as a maintainer
would by hand: one more ``  - "…"`` line in the list, everything else in the file as it was.

>>> text = "---\\nid: klage\\ntitle: Klage\\nsporsmal:\\n  - hva er klagefristen\\n---\\n## Frist\\n"
>>> print(add_example_question(text, "kan bruker klage på e-post?"), end="")
---
id: klage
title: Klage
sporsmal:
  - hva er klagefristen
  - "kan bruker klage på e-post?"
---
## Frist
"""

from __future__ import annotations

import json
import re

import yaml

from handbook.loader import split_front_matter

FIELD = "sporsmal"
MAX_QUESTION_CHARS = 300


class EditError(Exception):
    """The file cannot take the question; ``str(error)`` is a sentence for the maintainer."""


def add_example_question(text: str, question: str) -> str:
    """``text`` (a routine file) with ``question`` added to its ``sporsmal`` list (the list is
    made when there is none). The same question twice is refused, as is a file whose front
    matter does not read as YAML."""
    question = " ".join(question.split())
    if not question:
        raise EditError("spørsmålet er tomt")
    if len(question) > MAX_QUESTION_CHARS:
        raise EditError(f"spørsmålet er lengre enn {MAX_QUESTION_CHARS} tegn")
    return add_to_list(text, FIELD, question, "spørsmålet står der allerede")


def add_to_list(text: str, key: str, item: str, repeated: str = "står der allerede") -> str:
    """``text`` (a routine file) with ``item`` added to the front matter's ``key`` list (made
    when there is none), every other line as it was; ``repeated`` is the refusal when the list
    already holds it (case aside)."""
    lines = text.split("\n")
    split = split_front_matter(text)
    if split is None:
        if lines[0].strip() != "---":
            raise EditError("filen mangler topptekst (den må starte med '---')")
        raise EditError("toppteksten slutter aldri (mangler '---')")
    front = split[0]
    end = len(front) + 1  # the closing '---'
    try:
        data = yaml.safe_load("\n".join(front)) or {}
    except yaml.YAMLError:
        raise EditError("toppteksten er ikke gyldig YAML; rett den først") from None
    if not isinstance(data, dict):
        raise EditError("toppteksten må være nøkler og verdier")
    existing = data.get(key) or []
    if not isinstance(existing, list):
        existing = [existing]
    if item.lower() in {str(q).strip().lower() for q in existing}:
        raise EditError(repeated)
    pattern = re.compile(rf"^{re.escape(key)}\s*:(.*)$")
    entry = f"  - {json.dumps(item, ensure_ascii=False)}"
    start = next((i for i in range(1, end) if pattern.match(lines[i])), None)
    if start is None:
        return "\n".join([*lines[:end], f"{key}:", entry, *lines[end:]])
    stop = start + 1
    while stop < end and (lines[stop].startswith((" ", "\t")) or not lines[stop].strip()):
        stop += 1
    value = pattern.match(lines[start]).group(1).split("  # ", 1)[0].strip()
    if value:  # a flow list or a single value: rewrite it as a block list
        block = [f"{key}:"] + [f"  - {json.dumps(str(q), ensure_ascii=False)}" for q in existing]
        return "\n".join([*lines[:start], *block, entry, *lines[stop:]])
    while stop > start + 1 and not lines[stop - 1].strip():
        stop -= 1
    return "\n".join([*lines[:stop], entry, *lines[stop:]])
