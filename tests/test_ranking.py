"""Routine ranking and the confidence decision, apart from the index."""

from handbook.query import Alternative, Concept, Plan, coverage
from handbook.search import rank_routines


def test_best_section_per_routine_plus_a_share_of_the_others():
    ranked = rank_routines(
        [("a", "s1", 10.0), ("b", "s1", 9.0), ("b", "s2", 8.0), ("a", "s2", 1.0)], spread=0.25
    )
    assert [(r, anchor) for r, anchor, _ in ranked] == [("b", "s1"), ("a", "s1")]
    assert ranked[0][2] == 9.0 + 0.25 * 8.0


def test_coverage_weighs_concepts_and_credits_partial_matches():
    exact = Alternative("exact", (("stem", "vedtak"),), 1.0, 1.0)
    parts = Alternative("compound-parts", (("stem", "gjeld"), ("stem", "råd")), 0.6, 0.7)
    plan = Plan(
        "q",
        (
            Concept("vedtak", 1.0, (exact,)),
            Concept("gjeldsråd", 2.0, (parts,)),
            Concept("kantine", 3.0, ()),
        ),
    )
    assert coverage(plan, {("stem", "vedtak")}) == 1.0 / 6.0
    assert (
        coverage(plan, {("stem", "vedtak"), ("stem", "gjeld"), ("stem", "råd")})
        == (1.0 + 2.0 * 0.7) / 6.0
    )
    assert coverage(Plan("", ()), set()) == 0.0
