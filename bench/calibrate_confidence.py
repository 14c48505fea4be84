"""Fits the confidence model (handbook/confidence.py) on the tuning set and prints its constants.

    .venv/bin/python bench/calibrate_confidence.py [--features a,b,c] [--l2 1.0] [--folds 10]

Uses tests/eval/questions.yaml ONLY (never the blind sets). For every question it takes the
search's signals about the best hit (``Searcher.signals``) and a label: 1 when the best hit is the
expected routine, 0 when it is another or the question is out of scope. It then

1. sets the contested best hits apart (lead over the runner-up below ``--gate``, MIN_MARGIN, or
   the single best section another routine's; ``confidence.contested``) and measures the share
   of them that were right: CONTESTED, their value's ceiling;
2. fits a logistic regression with an L2 penalty (Newton's method on standardised signals, in
   plain Python) on the other questions: these are the coefficients to paste;
3. gives each of those a probability from a model fitted without it (``--folds`` stratified
   folds), so that the operating point is chosen on probabilities the model did not see;
4. chooses the operating point: the lowest threshold at which, on those held-out values,
   confident-and-wrong stays within 1 % of the in-scope questions and no out-of-scope question
   is confident (that maximises confident-right under both limits); the threshold is put
   halfway to the next lower value, so it does not sit on one question's value;
5. prints the precision/coverage curve and the constants for handbook/confidence.py.

The gate (0.15) and the signals were chosen by comparing held-out confident-right shares on this
set: a gate anywhere from 0.12 to 0.2 gave 73–77 % with one wrong, no gate about 50 %, and adding
the routine's coverage over all its sections or example_lead moved it by a question or two either way.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handbook import Handbook  # noqa: E402
from handbook.confidence import COEFFICIENTS, MIN_MARGIN, Signals, contested, logistic  # noqa: E402
from tests.eval.harness import Judged, confidence_curve, load_questions  # noqa: E402

MAX_WRONG_SHARE = 0.01  # confident and wrong, of in-scope questions
NEWTON_STEPS = 50


def observations(handbook: Handbook, name: str = "questions.yaml"):
    """(signals or None, label, in scope) per question of the set."""
    rows = []
    for question in load_questions(name):
        result = handbook.search(question.text)
        signals = handbook.signals(question.text)
        right = bool(result.hits) and result.hits[0].routine_id == question.expect
        rows.append((signals, int(right), question.expect is not None))
    return rows


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are at most 12 × 12)."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                factor = a[r][col] / a[col][col]
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(xs: list[list[float]], ys: list[int], l2: float) -> tuple[float, list[float]]:
    """Logistic regression, L2-penalised (not the intercept), on standardised columns; returns
    the intercept and coefficients for the raw columns."""
    n, k = len(xs), len(xs[0])
    means = [sum(x[j] for x in xs) / n for j in range(k)]
    scales = [math.sqrt(sum((x[j] - means[j]) ** 2 for x in xs) / n) or 1.0 for j in range(k)]
    zs = [[1.0] + [(x[j] - means[j]) / scales[j] for j in range(k)] for x in xs]
    beta = [0.0] * (k + 1)
    for _ in range(NEWTON_STEPS):
        ps = [logistic(sum(b * z for b, z in zip(beta, row, strict=True))) for row in zs]
        gradient = [
            sum((y - p) * row[j] for row, y, p in zip(zs, ys, ps, strict=True))
            - (l2 * beta[j] if j else 0.0)
            for j in range(k + 1)
        ]
        hessian = [
            [
                sum(p * (1 - p) * row[i] * row[j] for row, p in zip(zs, ps, strict=True))
                + (l2 if i == j and i else 0.0)
                for j in range(k + 1)
            ]
            for i in range(k + 1)
        ]
        step = _solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    weights = [beta[j + 1] / scales[j] for j in range(k)]
    intercept = beta[0] - sum(w * m for w, m in zip(weights, means, strict=True))
    return intercept, weights


def predict(intercept: float, weights: list[float], x: list[float]) -> float:
    return logistic(intercept + sum(w * v for w, v in zip(weights, x, strict=True)))


def held_out(xs, ys, l2: float, folds: int) -> list[float]:
    """Each row's probability from a model fitted on the other folds (stratified by label)."""
    order = sorted(range(len(xs)), key=lambda i: (ys[i], i))
    fold_of = {index: position % folds for position, index in enumerate(order)}
    probabilities = [0.0] * len(xs)
    for fold in range(folds):
        train = [i for i in range(len(xs)) if fold_of[i] != fold]
        intercept, weights = fit([xs[i] for i in train], [ys[i] for i in train], l2)
        for i in range(len(xs)):
            if fold_of[i] == fold:
                probabilities[i] = predict(intercept, weights, xs[i])
    return probabilities


def operating_point(probabilities, labels, in_scope) -> float:
    """The lowest threshold that keeps confident-wrong ≤ 1 % of in-scope and no out-of-scope
    confident, halfway to the next lower probability."""
    allowed = math.floor(MAX_WRONG_SHARE * sum(in_scope))
    ranked = sorted(zip(probabilities, labels, in_scope, strict=True), key=lambda r: -r[0])
    wrong = 0
    chosen = 1.0
    for index, (p, label, scoped) in enumerate(ranked):
        if not label:
            if not scoped or wrong + 1 > allowed:
                break
            wrong += 1
        below = ranked[index + 1][0] if index + 1 < len(ranked) else 0.0
        chosen = (p + below) / 2
    return chosen


def _judged(values, labels, scoped) -> list[Judged]:
    return [Judged(v, bool(y), s) for v, y, s in zip(values, labels, scoped, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [f.name for f in fields(Signals)]
    parser.add_argument("--features", default=",".join(COEFFICIENTS) or ",".join(names))
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--gate", type=float, default=MIN_MARGIN, help="MIN_MARGIN")
    parser.add_argument("--folds", type=int, default=10)
    args = parser.parse_args()
    chosen = [name.strip() for name in args.features.split(",") if name.strip()]
    unknown = set(chosen) - set(names)
    if unknown:
        parser.error(f"unknown signals: {', '.join(sorted(unknown))} (have: {', '.join(names)})")

    handbook = Handbook.open(index_dir=None)
    rows = observations(handbook)
    handbook.close()
    # A question with no hit at all is never confident; it does not take part in the fit.
    rows = [(s, label, scoped) for s, label, scoped in rows if s is not None]
    open_rows = [row for row in rows if not contested(row[0], args.gate)]
    contested_rows = [row for row in rows if contested(row[0], args.gate)]
    ceiling_value = sum(label for _, label, _ in contested_rows) / max(1, len(contested_rows))
    xs = [[getattr(s, name) for name in chosen] for s, _, _ in open_rows]
    ys = [label for _, label, _ in open_rows]
    intercept, weights = fit(xs, ys, args.l2)
    fitted = [predict(intercept, weights, x) for x in xs]
    out_of_fold = held_out(xs, ys, args.l2, args.folds)
    # Contested rows take part in the operating point with their ceiling as value.
    labels = ys + [label for _, label, _ in contested_rows]
    scoped = [flag for _, _, flag in open_rows] + [flag for _, _, flag in contested_rows]
    ceiling = [
        min(ceiling_value, p)
        for p in (
            predict(intercept, weights, [getattr(s, n) for n in chosen])
            for s, _, _ in contested_rows
        )
    ]
    threshold = operating_point(out_of_fold + ceiling, labels, scoped)
    in_sample = operating_point(fitted + ceiling, labels, scoped)
    if threshold <= ceiling_value:
        print(f"warning: the threshold {threshold:.3f} is not above CONTESTED {ceiling_value:.3f}")
    steps = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    print(
        f"{len(rows)} questions with a hit ({sum(scoped)} in scope), {len(contested_rows)} "
        f"contested (lead < {args.gate} or best section another routine's), {ceiling_value:.1%} of those right; signals: {', '.join(chosen)}"
    )
    print("\nheld-out values (each from a model fitted without its fold):")
    thresholds = sorted({*steps, threshold})
    print("\n".join(confidence_curve(_judged(out_of_fold + ceiling, labels, scoped), thresholds)))
    print("\nthe full fit, in sample:")
    print("\n".join(confidence_curve(_judged(fitted + ceiling, labels, scoped), thresholds)))
    print(f"\n(in sample the operating point would be {in_sample:.3f})")
    print("\n# paste into handbook/confidence.py")
    print(f"MIN_MARGIN = {args.gate}")
    print(f"CONTESTED = {ceiling_value:.3f}")
    print(f"INTERCEPT = {intercept:.4f}")
    print("COEFFICIENTS: dict[str, float] = {")
    for name, weight in zip(chosen, weights, strict=True):
        print(f'    "{name}": {weight:.4f},')
    print("}")
    print(f"THRESHOLD = {threshold:.3f}")


if __name__ == "__main__":
    main()
