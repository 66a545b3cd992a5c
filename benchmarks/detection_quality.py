"""How well the suspect lists and the energy balance find the demo utility's thieves and lossy transformers.

    .venv/bin/python benchmarks/detection_quality.py --customers 20000          # a fresh utility
    .venv/bin/python benchmarks/detection_quality.py --home var                 # the utility of `yeelen demo up`

Scores every contract the suspect models evaluated (marts.fct_suspect_contracts) against the generator's ground
truth (``is_fraud``), and ranks transformers by the non-technical loss of their trusted balances over the last
12 months (marts.fct_energy_balance) against the lossy ones. Metrics, after Zheng et al. (2018), "Wide and Deep
Convolutional Neural Networks for Electricity-Theft Detection":

- AUC: the probability that a random thief is ranked above a random honest contract (ties count one half);
- P@k: the share of thieves among the first k of the ranking;
- MAP@N: the mean of P@k over the positions k of the thieves within the first N.

Three rankings: ``priority`` (the field list: rules weighed by the transformer's non-technical loss), ``score``
(the rules alone) and ``learned`` (a logistic regression fitted on past inspection outcomes, on the rules that
fired at request time, when the utility has inspections). Writes benchmarks/results/detection_quality_<n>.json.
The ground truth is read here only; no model of the pipeline sees it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RULES = (
    "FALL_HABIT",
    "FALL_SEASON",
    "FALL_LEVEL",
    "ZERO_ACTIVE",
    "INDEX_STUCK",
    "LOW_FOR_POWER",
    "ABOVE_POWER",
    "AFTER_INTERVENTION",
    "AFTER_REPLACEMENT",
    "TAMPERING",
    "BELOW_PEERS",
    "REPEATED_ESTIMATES",
)
BALANCE_MONTHS = 12
TOP_TRANSFORMERS = 10


def auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve by the Mann-Whitney rank sum, ties sharing their average rank."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        raise ValueError("AUC needs at least one positive and one negative")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=float)
    sorted_scores = s[order]
    start = 0
    while start < len(s):
        end = start
        while end + 1 < len(s) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return float((ranks[y].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def ranking(scores: Sequence[float], keys: Sequence[int] | None = None) -> np.ndarray:
    """Positions sorted by score, highest first; equal scores in the order of ``keys`` (default: input order)."""
    s = np.asarray(scores, dtype=float)
    tiebreak = np.arange(len(s)) if keys is None else np.asarray(keys)
    return np.lexsort((tiebreak, -s))


def precision_at_k(ranked_labels: Sequence[bool], k: int) -> float:
    """Share of positives among the first ``k`` labels of a ranking."""
    top = np.asarray(ranked_labels, dtype=bool)[:k]
    return float(top.sum() / k) if k > 0 else 0.0


def map_at_n(ranked_labels: Sequence[bool], n: int) -> float:
    """Mean of P@k over the positions k (1-based) of the positives within the first ``n`` (0 when none)."""
    top = np.asarray(ranked_labels, dtype=bool)[:n]
    positions = np.flatnonzero(top) + 1
    if positions.size == 0:
        return 0.0
    hits = np.arange(1, positions.size + 1)
    return float(np.mean(hits / positions))


def evaluate(labels: Sequence[bool], scores: Sequence[float], keys: Sequence[int] | None = None) -> dict[str, float]:
    """AUC, P@100, MAP@100 and MAP@200 of one ranking."""
    y = np.asarray(labels, dtype=bool)
    ranked = y[ranking(scores, keys)]
    return {
        "auc": round(auc(y, scores), 4),
        "p_at_100": round(precision_at_k(ranked, 100), 4),
        "map_at_100": round(map_at_n(ranked, 100), 4),
        "map_at_200": round(map_at_n(ranked, 200), 4),
    }


def rule_matrix(rule_codes: Sequence[str | None]) -> np.ndarray:
    """One column per rule: 1 where the comma-separated list names it."""
    matrix = np.zeros((len(rule_codes), len(RULES)))
    for row, codes in enumerate(rule_codes):
        named = set(codes.replace(" ", "").split(",")) if isinstance(codes, str) else set()
        for column, rule in enumerate(RULES):
            matrix[row, column] = rule in named
    return matrix


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float = 1.0, steps: int = 200) -> np.ndarray:
    """Weights (intercept first) of an L2-regularised logistic regression, by Newton's method."""
    x = np.hstack([np.ones((features.shape[0], 1)), features])
    weights = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - labels) + penalty @ weights
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def learned_features(rule_codes: Sequence[str | None], scores: Sequence[float]) -> np.ndarray:
    """What an inspection row keeps of its suspect at request time: the rules that fired and the score."""
    return np.hstack([rule_matrix(rule_codes), np.log1p(np.asarray(scores, dtype=float))[:, None]])


def _prepare(home: Path, customers: int, months: int, seed: int, inspect_months: int, say) -> None:
    """A fresh utility: generated, ingested, the loss and suspect models built; inspections of past months."""
    from ingestion import run_ingestion
    from operational_api.migrate import upgrade
    from yeelen.demo import generate
    from yeelen.demo.inspections import record_inspections
    from yeelen.settings import load_settings

    os.environ["YEELEN_HOME"] = str(home)
    settings = load_settings()
    settings.ensure_home()
    upgrade(str(settings.operational_url))
    say(f"generating {customers:,} customers x {months} months")
    generate(str(settings.operational_url), customers=customers, months=months, seed=seed, demo_dir=settings.demo_dir)
    run_ingestion(settings, full=True)
    _build(settings, say)
    if inspect_months:
        say(f"inspecting the top suspects of the last {inspect_months} months")
        report = record_inspections(settings, months=inspect_months, per_month=max(20, customers // 200))
        say(f"  {report.inspections} inspections")
        run_ingestion(settings)
        _build(settings, say)


def _build(settings, say) -> None:
    """dbt run of the loss and suspect models and what they read, in a process of its own."""
    from yeelen.transform import dbt_environment

    started = time.perf_counter()
    env = {**os.environ, **dbt_environment(settings), "DBT_LOG_PATH": str(settings.home / "dbt-logs")}
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "run",
        "--select",
        "+fct_suspect_contracts",
        "+fct_energy_balance",
        "+rpt_suspect_rule_hit_rates",
        "--target-path",
        str(settings.home / "dbt-target"),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=settings.dbt_project_dir)
    if result.returncode != 0:
        raise SystemExit(f"dbt run failed:\n{result.stdout[-3000:]}")
    say(f"  models built in {time.perf_counter() - started:.0f} s")


def measure(home: Path) -> dict:
    """Every figure of the benchmark from the warehouse and truth files under ``home``."""
    import duckdb
    import pandas as pd

    from yeelen.demo.truth import read_contract_truth, read_generation, read_transformer_truth

    demo_dir = home / "demo"
    truth = read_contract_truth(demo_dir).set_index("contract_id")
    lossy = read_transformer_truth(demo_dir).set_index("transformer_id")["is_lossy"]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as connection:
        suspects = connection.execute(
            "select contract_id, score, priority, rule_codes, place_non_technical_share, is_suspect, evaluation_date"
            " from marts.fct_suspect_contracts order by contract_id"
        ).df()
        balances = connection.execute(
            f"""
            select equipment_id as transformer_id,
                sum(non_technical_loss) / nullif(sum(delivered), 0) as non_technical_share
            from marts.fct_energy_balance
            where balance_level = 'transformer' and is_trusted
                and period_start >= (
                    select max(period_start) from marts.fct_energy_balance where balance_level = 'transformer'
                ) - interval {BALANCE_MONTHS} month
            group by equipment_id
            """
        ).df()
        inspections = connection.execute(
            "select suspect_rules, suspect_score, inspection_outcome from staging.stg_operational__inspections"
            " where inspection_outcome in ('fraud_confirmed', 'no_fraud', 'meter_fault')"
        ).df()
    labels = truth["is_fraud"].reindex(suspects["contract_id"]).fillna(False).to_numpy(dtype=bool)
    keys = suspects["contract_id"].to_numpy()
    rankings = {
        "priority": evaluate(labels, suspects["priority"].astype(float), keys),
        "score": evaluate(labels, suspects["score"].astype(float), keys),
    }
    learned = None
    if len(inspections) >= 30 and inspections["inspection_outcome"].nunique() > 1:
        x = learned_features(inspections["suspect_rules"], inspections["suspect_score"].astype(float))
        y = (inspections["inspection_outcome"] == "fraud_confirmed").to_numpy(dtype=float)
        weights = fit_logistic(x, y)
        current = learned_features(suspects["rule_codes"], suspects["score"].astype(float))
        probability = 1.0 / (1.0 + np.exp(-(weights[0] + current @ weights[1:])))
        place = suspects["place_non_technical_share"].astype(float).fillna(0).clip(lower=0).to_numpy()
        rankings["learned"] = evaluate(labels, probability, keys)
        rankings["learned_x_place"] = evaluate(labels, probability * (1 + 10 * place), keys)
        learned = {
            "inspections": len(inspections),
            "weights": {
                name: round(float(w), 3) for name, w in zip(("intercept", *RULES, "log1p_score"), weights, strict=True)
            },
        }
    ranked = balances.sort_values(["non_technical_share", "transformer_id"], ascending=[False, True])
    top = ranked.head(TOP_TRANSFORMERS)["transformer_id"]
    lossy_in_top = int(lossy.reindex(top).fillna(False).sum())
    lossy_total = int(lossy.sum())
    generation = read_generation(demo_dir)
    return {
        "customers": generation["customers"],
        "months": generation["months"],
        "seed": generation["seed"],
        "evaluation_date": str(pd.Timestamp(suspects["evaluation_date"].max()).date()),
        "contracts_evaluated": len(suspects),
        "thieves": int(labels.sum()),
        "listed_suspects": int(suspects["is_suspect"].sum()),
        "thieves_listed": int((labels & suspects["is_suspect"].to_numpy(dtype=bool)).sum()),
        "rankings": rankings,
        "learned_model": learned,
        "balance": {
            "transformers": len(balances),
            "lossy_transformers": lossy_total,
            "lossy_in_top_10": lossy_in_top,
            "precision_at_10": round(lossy_in_top / TOP_TRANSFORMERS, 4),
            "recall_at_10": round(lossy_in_top / min(TOP_TRANSFORMERS, lossy_total), 4) if lossy_total else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inspect-months", type=int, default=6, help="Months of past inspections to learn from")
    parser.add_argument("--home", type=Path, default=None, help="Score the utility already under this YEELEN_HOME")
    parser.add_argument("--keep", action="store_true", help="Keep the generated utility")
    args = parser.parse_args()

    def say(message: str) -> None:
        print(message, flush=True)

    started = time.perf_counter()
    home = args.home
    fresh = home is None
    if fresh:
        home = Path(tempfile.mkdtemp(prefix="yeelen-detection-"))
        _prepare(home, args.customers, args.months, args.seed, args.inspect_months, say)
    try:
        result = measure(Path(home).resolve())
    finally:
        if fresh and not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["machine"] = platform.platform()
    print(f"\nDetection quality, {result['customers']:,} customers x {result['months']} months")
    print(f"{result['contracts_evaluated']:,} contracts evaluated, {result['thieves']:,} thieves")
    print(f"{'ranking':<18}{'AUC':>8}{'P@100':>8}{'MAP@100':>9}{'MAP@200':>9}")
    for name, figures in result["rankings"].items():
        print(
            f"{name:<18}{figures['auc']:>8.3f}{figures['p_at_100']:>8.2f}"
            f"{figures['map_at_100']:>9.3f}{figures['map_at_200']:>9.3f}"
        )
    balance = result["balance"]
    print(
        f"balance: {balance['lossy_in_top_10']} lossy transformers in the top 10 "
        f"({balance['lossy_transformers']} lossy of {balance['transformers']})"
    )
    output = ROOT / "benchmarks" / "results" / f"detection_quality_{result['customers']}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"written {output}")


if __name__ == "__main__":
    main()
