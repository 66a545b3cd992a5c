"""The detection benchmark's metrics on tiny rankings computed by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "detection_quality.py"
spec = importlib.util.spec_from_file_location("detection_quality", PATH)
detection = importlib.util.module_from_spec(spec)
spec.loader.exec_module(detection)


def test_auc_counts_the_pairs_in_order_and_half_the_ties() -> None:
    # Thieves scored 0.9 and 0.7, honest 0.8 and 0.1: 3 of the 4 (thief, honest) pairs are in order.
    assert detection.auc([True, False, True, False], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(0.75)
    assert detection.auc([True, False], [0.5, 0.5]) == pytest.approx(0.5)
    # Thief 0.6 ties with one honest 0.6 and beats the other (0.2): (0.5 + 1) / 2.
    assert detection.auc([True, False, False], [0.6, 0.6, 0.2]) == pytest.approx(0.75)
    assert detection.auc([True, True, False], [0.1, 0.2, 0.9]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        detection.auc([True, True], [0.1, 0.2])


def test_precision_at_k() -> None:
    ranked = [True, True, False, True, False]
    assert detection.precision_at_k(ranked, 1) == 1.0
    assert detection.precision_at_k(ranked, 3) == pytest.approx(2 / 3)
    assert detection.precision_at_k(ranked, 5) == pytest.approx(3 / 5)


def test_map_at_n_averages_precision_at_the_thieves_positions() -> None:
    ranked = [True, False, True, False, False, True]
    # Thieves at positions 1, 3 and 6: P@1 = 1, P@3 = 2/3, P@6 = 1/2.
    assert detection.map_at_n(ranked, 6) == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)
    assert detection.map_at_n(ranked, 3) == pytest.approx((1 + 2 / 3) / 2)
    assert detection.map_at_n(ranked, 2) == pytest.approx(1.0)
    assert detection.map_at_n([False, False, True], 2) == 0.0


def test_evaluate_ranks_by_score_then_key() -> None:
    labels = [False, True, True, False]
    scores = [0.9, 0.9, 0.5, 0.1]
    # Equal scores: the smaller key first, so the thief (key 1) comes before the honest contract (key 2).
    ranked = np.asarray(labels)[detection.ranking(scores, keys=[2, 1, 3, 4])]
    assert ranked.tolist() == [True, False, True, False]
    figures = detection.evaluate(labels, scores, keys=[2, 1, 3, 4])
    # Pairs (thief, honest): 0.9 vs 0.9 ties (1/2), 0.9 vs 0.1 (1), 0.5 vs 0.9 (0), 0.5 vs 0.1 (1).
    assert figures["auc"] == pytest.approx((0.5 + 1 + 0 + 1) / 4, abs=1e-4)
    assert figures["map_at_100"] == pytest.approx((1 + 2 / 3) / 2, abs=1e-4)


def test_rules_and_logistic_regression_on_rule_flags() -> None:
    matrix = detection.rule_matrix(["ZERO_ACTIVE,TAMPERING", None, "FALL_HABIT"])
    assert matrix.shape == (3, len(detection.RULES))
    assert matrix[0, detection.RULES.index("TAMPERING")] == 1 and matrix[1].sum() == 0
    rng = np.random.default_rng(3)
    flag = rng.random(400) < 0.5
    labels = (rng.random(400) < np.where(flag, 0.8, 0.2)).astype(float)
    weights = detection.fit_logistic(flag[:, None].astype(float), labels)
    # log(0.8 / 0.2) - log(0.2 / 0.8) = 2.77 for the flag, near -1.39 for the intercept.
    assert weights[1] == pytest.approx(2.77, abs=0.5)
    assert weights[0] == pytest.approx(-1.39, abs=0.4)
