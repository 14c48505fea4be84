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
