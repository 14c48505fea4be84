"""The calibrated confidence: the gate, the model, the operating point and how it is refitted."""

from __future__ import annotations

import dataclasses
import importlib.util
import random
from pathlib import Path

import pytest

from handbook import Handbook
from handbook.confidence import (
    COEFFICIENTS,
    CONTESTED,
    MIN_MARGIN,
    THRESHOLD,
    Confidence,
    Signals,
)

SPEC = importlib.util.spec_from_file_location(
    "calibrate_confidence", Path(__file__).parents[1] / "bench" / "calibrate_confidence.py"
)
calibrate = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(calibrate)

STRONG = Signals(
    coverage=0.9,
    runner_coverage=0.3,
    margin=0.6,
    log_score=3.0,
    example=0.5,
    example_lead=0.5,
    section_agrees=1.0,
    proximity=0.1,
    unknown=0.0,
)


def test_the_constants_are_a_usable_operating_point():
    assert CONTESTED < THRESHOLD < 1.0
    assert 0.0 < MIN_MARGIN < 1.0
    # More coverage, a bigger lead, a higher score: never less confidence.
    assert all(COEFFICIENTS[name] > 0 for name in ("coverage", "margin", "log_score"))


def test_a_strong_hit_is_confident_and_a_contested_one_never_is():
    confidence = Confidence()
    assert confidence.probability(STRONG) >= THRESHOLD
    contested = dataclasses.replace(STRONG, margin=MIN_MARGIN / 2)
    assert confidence.model(contested) >= THRESHOLD  # the model alone would say yes
    assert confidence.probability(contested) == CONTESTED < THRESHOLD
    # The routine ranks first, but the single best section is another routine's.
    elsewhere = dataclasses.replace(STRONG, section_agrees=0.0)
    assert confidence.probability(elsewhere) == CONTESTED


def test_a_bare_common_word_is_not_confident(shipped_handbook: Handbook):
    # Four routines are about decisions; none is the answer to "vedtak" alone.
    result = shipped_handbook.search("vedtak")
    assert len(result.hits) == 3
    assert not result.confident


@pytest.mark.parametrize("name", ["coverage", "margin", "log_score"])
def test_less_of_a_signal_gives_less_confidence(name):
    confidence = Confidence()
    weaker = dataclasses.replace(STRONG, **{name: getattr(STRONG, name) / 3})
    assert confidence.probability(weaker) < confidence.probability(STRONG)


def test_search_results_carry_the_value_behind_the_decision(shipped_handbook: Handbook):
    shipped = shipped_handbook
    for question in ("hva er klagefristen på et vedtak", "hvem har ansvar for julebordet"):
        result = shipped.search(question)
        assert 0.0 <= result.confidence <= 1.0
        assert result.confident == (result.confidence >= THRESHOLD)
    assert shipped.search("hva er klagefristen på et vedtak").confident
    assert not shipped.search("hvem har ansvar for julebordet").confident
    assert shipped.search("").confidence == 0.0


def test_the_fit_recovers_which_signal_matters():
    rng = random.Random(3)
    xs, ys = [], []
    for _ in range(400):
        useful, noise = rng.random(), rng.random()
        xs.append([useful, noise])
        ys.append(int(rng.random() < 1 / (1 + 2.718 ** (-(8 * useful - 4)))))
    intercept, (useful, noise) = calibrate.fit(xs, ys, l2=1.0)
    assert 5 < useful < 11
    assert abs(noise) < 1.5
    assert -6 < intercept < -2


def test_the_operating_point_keeps_wrong_within_one_percent_and_out_of_scope_out():
    # 200 in scope: 2 wrong answers allowed; one out-of-scope question at 0.7.
    values = [0.99] * 150 + [0.95, 0.9] + [0.8] * 30 + [0.75] + [0.6] * 17 + [0.7]
    labels = [1] * 150 + [0, 0] + [1] * 30 + [0] + [1] * 17 + [0]
    scoped = [True] * 200 + [False]
    threshold = calibrate.operating_point(values, labels, scoped)
    assert 0.75 < threshold < 0.8  # the third wrong answer (0.75) stays below it
    labels[150] = labels[151] = 1  # one wrong answer left: now the out-of-scope one sets the limit
    assert 0.7 < calibrate.operating_point(values, labels, scoped) < 0.75
