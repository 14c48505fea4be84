"""Reading Adaptive Cards in tests: their buttons, facts and text."""

from __future__ import annotations


def buttons(card: dict) -> list[dict]:
    """The card's actions and those of its action sets, in order."""
    found = list(card.get("actions", []))
    for block in card["body"]:
        found += block.get("actions", [])
    return found


def submit_data(card: dict) -> dict[str, dict]:
    """Each ``Action.Submit`` button's data by its title."""
    return {b["title"]: b["data"] for b in buttons(card) if b["type"] == "Action.Submit"}


def facts(card: dict) -> dict[str, str]:
    return {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }


def block_text(card: dict) -> str:
    """The text of the card's body blocks, one after the other."""
    return " ".join(str(b.get("text", "")) for b in card["body"])


def text_with_facts(card: dict, separator: str = " ") -> str:
    """The body's text and its facts as ``title: value``."""
    parts = []
    for block in card["body"]:
        parts.append(str(block.get("text", "")))
        parts += [f"{f['title']}: {f['value']}" for f in block.get("facts", [])]
    return separator.join(parts)
