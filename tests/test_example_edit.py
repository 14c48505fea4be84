"""Issue 15: one command adds an unanswered question to a routine as an example question; the
edit is the one a maintainer would make by hand (handbook.example_edit)."""

from __future__ import annotations

import pytest
import yaml

from handbook.example_edit import EditError, add_example_question

FRONT = "---\nid: klage\ntitle: Klage  # kommentar blir stående\n{extra}---\n## Frist\nTre uker.\n"


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_a_list_is_made_when_there_is_none_and_the_rest_is_kept():
    text = add_example_question(FRONT.format(extra=""), "kan bruker klage på e-post?")
    assert text == FRONT.format(extra='sporsmal:\n  - "kan bruker klage på e-post?"\n')


def test_the_question_goes_last_in_a_block_list_before_the_next_field():
    before = FRONT.format(extra="sporsmal:\n  - hva er klagefristen\n\ntags: [klage]\n")
    text = add_example_question(before, 'hun sa "for sent": hva nå?')
    assert front_matter(text)["sporsmal"] == ["hva er klagefristen", 'hun sa "for sent": hva nå?']
    assert front_matter(text)["tags"] == ["klage"]
    assert "Klage  # kommentar blir stående" in text


@pytest.mark.parametrize("value", ["[hva er klagefristen, klage på avslag]", "hva er klagefristen"])
def test_a_flow_list_or_single_question_becomes_a_block_list(value):
    text = add_example_question(FRONT.format(extra=f"sporsmal: {value}\n"), "ny:  klage ")
    questions = front_matter(text)["sporsmal"]
    assert questions[-1] == "ny: klage" and questions[0] == "hva er klagefristen"


def test_refused_with_a_sentence():
    with_one = FRONT.format(extra="sporsmal:\n  - Hva er klagefristen\n")
    for text, question, message in (
        (with_one, "hva er  klagefristen", "står der allerede"),
        (with_one, "  ", "tomt"),
        (with_one, "x" * 301, "lengre enn 300 tegn"),
        ("## Frist\n", "hva?", "mangler topptekst"),
        ("---\nid: [\n---\n", "hva?", "ikke gyldig YAML"),
        ("---\nid: klage\n", "hva?", "slutter aldri"),
    ):
        with pytest.raises(EditError, match=message):
            add_example_question(text, question)
