"""The search evaluation: a question set with expected routine ids, scored against a searcher.

Shared by the quality floor test (tests/test_eval_floor.py) and the benchmark (bench/search_eval.py),
so both count the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Question:
    text: str
    expect: str | None
    kind: str


@dataclass
class Score:
    """Top-1/top-3 over in-scope questions; rejection over out-of-scope ones."""

    in_scope: int = 0
    top1: int = 0
    top3: int = 0
    confident_in_scope: int = 0
    confident_wrong: int = 0
    out_of_scope: int = 0
    rejected: int = 0
    misses: list[tuple[Question, list[str], bool]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return _rate(self.top1, self.in_scope)

    @property
    def top3_rate(self) -> float:
        return _rate(self.top3, self.in_scope)

    @property
    def rejection_rate(self) -> float:
        return _rate(self.rejected, self.out_of_scope)

    @property
    def confident_rate(self) -> float:
        return _rate(self.confident_in_scope, self.in_scope)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def load_questions(name: str = "questions.yaml") -> list[Question]:
    path = EVAL_DIR / name
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Question(str(e["q"]), e.get("expect"), str(e.get("kind", ""))) for e in entries]


# A searcher for the evaluation: question → (routine ids best first, confident).
Ranker = Callable[[str], tuple[list[str], bool]]


def evaluate(questions: list[Question], rank: Ranker) -> Score:
    score = Score()
    for question in questions:
        ids, confident = rank(question.text)
        if question.expect is None:
            score.out_of_scope += 1
            if not confident:
                score.rejected += 1
            else:
                score.misses.append((question, ids, confident))
            continue
        right = bool(ids) and ids[0] == question.expect
        score.in_scope += 1
        score.top1 += right
        score.top3 += question.expect in ids[:3]
        if confident:
            score.confident_in_scope += 1
            score.confident_wrong += not right
        if not right:
            score.misses.append((question, ids, confident))
    return score


def handbook_ranker(handbook) -> Ranker:
    def rank(text: str) -> tuple[list[str], bool]:
        result = handbook.search(text, k=3)
        return [hit.routine_id for hit in result.hits], result.confident

    return rank


@dataclass(frozen=True)
class Judged:
    """One question's best hit as the confidence curve sees it."""

    confidence: float
    right: bool
    in_scope: bool


def judge(questions: list[Question], handbook) -> list[Judged]:
    judged = []
    for question in questions:
        result = handbook.search(question.text, k=3)
        right = bool(result.hits) and result.hits[0].routine_id == question.expect
        judged.append(Judged(result.confidence, right, question.expect is not None))
    return judged


def confidence_curve(judged: list[Judged], thresholds) -> list[str]:
    """Per threshold on the confidence value: the share of in-scope questions answered
    confidently, the share answered confidently and right, the precision of the confident
    in-scope answers, how many of them were wrong, and how many out-of-scope questions were
    confident."""
    in_scope = sum(j.in_scope for j in judged) or 1
    lines = [
        f"  {'threshold':>9} {'confident':>10} {'conf+right':>10} {'precision':>10} "
        f"{'wrong':>6} {'oos':>4}"
    ]
    for threshold in thresholds:
        chosen = [j for j in judged if j.confidence >= threshold]
        right = sum(1 for j in chosen if j.in_scope and j.right)
        wrong = sum(1 for j in chosen if j.in_scope and not j.right)
        oos = sum(1 for j in chosen if not j.in_scope)
        precision = right / (right + wrong) if right + wrong else 1.0
        lines.append(
            f"  {threshold:>9.3f} {(right + wrong) / in_scope:>9.1%} {right / in_scope:>9.1%} "
            f"{precision:>9.1%} {wrong:>6} {oos:>4}"
        )
    return lines
