"""The confidence decision: is the best hit a confident answer?

Several signals about the best hit (:class:`Signals`) are combined into one number, the
probability that it is the right routine:

- a best hit that leads the runner-up routine by less than :data:`MIN_MARGIN`, or whose routine
  does not hold the single best section (the routine ranking and the section ranking disagree,
  as for a bare "vedtak"), is *contested*: two routines answer about equally well, and most
  confident-looking wrong answers on the tuning set were of this kind. Its value is at most
  :data:`CONTESTED`, the share of contested best hits that were right, which lies below the
  operating point, so it is never confident;
- otherwise a small logistic model over the signals (:data:`COEFFICIENTS`) gives the value.

The model is fitted, and its operating point :data:`THRESHOLD` chosen, on tests/eval/questions.yaml
only, by ``bench/calibrate_confidence.py``, which prints the constants below; rerun it after a
change to the ranking, the signals or the handbook, and paste what it prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from handbook.query import Plan, coverage


@dataclass(frozen=True)
class Signals:
    """What the decision looks at, all about the best hit unless named otherwise."""

    coverage: float  # share of the question's weight its section covers (rare words weigh most)
    runner_coverage: float  # the same for the runner-up routine's section
    margin: float  # lead over the runner-up routine's score: 1 - runner-up / best
    log_score: float  # log(1 + the routine's ranking score)
    example: float  # similarity to the routine's closest example question (0–1)
    example_lead: float  # ... less the best other routine's
    section_agrees: float  # 1 when the single best section belongs to this routine too
    proximity: float  # share of the section's score from question words standing together
    unknown: float  # share of the question's weight in words the handbook does not have

    def features(self) -> tuple[float, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))


def gather_signals(
    plan: Plan,
    ranked: list[tuple[str, str, float]],
    matches: list[set[tuple[str, str]]],
    examples: dict[str, float],
    proximity: float,
    best_section_routine: str,
) -> Signals:
    """The signals for the best of ``ranked`` (routine id, anchor, score; best first), given the
    terms its section and the runner-up's matched (``matches``), the example-question
    similarities and the best section's proximity bonus."""
    best_id, _, best = ranked[0]
    runner = ranked[1][2] if len(ranked) > 1 else 0.0
    example = examples.get(best_id, 0.0)
    others = max((v for k, v in examples.items() if k != best_id), default=0.0)
    total = sum(c.weight for c in plan.concepts) or 1.0
    unknown = sum(c.weight for c in plan.concepts if not c.alternatives) / total
    return Signals(
        coverage=coverage(plan, matches[0]),
        runner_coverage=coverage(plan, matches[1]) if len(matches) > 1 else 0.0,
        margin=1.0 - runner / best if best > 0 else 0.0,
        log_score=math.log1p(best),
        example=example,
        example_lead=example - others,
        section_agrees=float(best_section_routine == best_id),
        proximity=proximity / best if best > 0 else 0.0,
        unknown=unknown,
    )


# Fitted by bench/calibrate_confidence.py on tests/eval/questions.yaml (see there).
MIN_MARGIN = 0.15
CONTESTED = 0.414
INTERCEPT = -12.2726
COEFFICIENTS: dict[str, float] = {
    "coverage": 4.2643,
    "margin": 1.6434,
    "log_score": 4.0195,
    "example": 1.5729,
}
THRESHOLD = 0.815


def logistic(value: float) -> float:
    if value < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


@dataclass(frozen=True)
class Confidence:
    """The model and its operating point: a best hit whose probability of being right is at
    least ``threshold`` is a confident answer."""

    intercept: float = INTERCEPT
    coefficients: tuple[tuple[str, float], ...] = tuple(COEFFICIENTS.items())
    threshold: float = THRESHOLD
    min_margin: float = MIN_MARGIN
    contested: float = CONTESTED

    def model(self, signals: Signals) -> float:
        """The logistic model's value alone."""
        total = self.intercept + sum(w * getattr(signals, n) for n, w in self.coefficients)
        return logistic(total)

    def probability(self, signals: Signals) -> float:
        value = self.model(signals)
        return min(value, self.contested) if contested(signals, self.min_margin) else value


def contested(signals: Signals, min_margin: float = MIN_MARGIN) -> bool:
    """Two routines answer about equally well: too small a lead, or the single best section is
    another routine's."""
    return signals.margin < min_margin or not signals.section_agrees
