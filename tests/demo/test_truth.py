"""The truth is written outside the database and read back by ``yeelen.demo.truth``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo.conftest import CUSTOMERS, END_MONTH, MONTHS, SEED, Demo
from yeelen.demo import TABLES, truth


def test_generation_file_describes_the_run(demo: Demo) -> None:
    generation = truth.read_generation(demo.demo_dir)
    assert generation["seed"] == SEED
    assert generation["customers"] == CUSTOMERS
    assert generation["months"] == MONTHS
    assert generation["end_month"] == END_MONTH
    assert generation["horizon_start"] == "2024-01-01" and generation["horizon_end"] == "2026-01-01"
    assert list(generation["counts"]) == list(TABLES)
    assert generation["counts"] == demo.report.counts


def test_contract_truth_covers_every_contract(demo: Demo) -> None:
    contracts = truth.read_contract_truth(demo.demo_dir)
    assert len(contracts) == demo.report.counts["contract"]
    assert {"contract_id", "is_fraud", "pattern", "theft_start", "alpha", "transformer_id"} <= set(contracts.columns)
    assert truth.fraudulent_contract_ids(demo.demo_dir) == set(contracts.contract_id[contracts.is_fraud])
    assert (contracts.reported_consumption <= contracts.true_consumption + 1e-6).all()
    assert (contracts.reported_consumption[contracts.is_fraud] < contracts.true_consumption[contracts.is_fraud]).all()
    honest = contracts[~contracts.is_fraud]
    assert (honest.reported_consumption - honest.true_consumption).abs().max() < 1e-6


def test_transformer_and_network_truth(demo: Demo) -> None:
    transformers = truth.read_transformer_truth(demo.demo_dir)
    assert len(transformers) == demo.report.counts["transformer"]
    assert {"transformer_id", "true_delivered", "true_ntl_share", "is_lossy"} <= set(transformers.columns)
    months = truth.read_transformer_month_truth(demo.demo_dir)
    assert len(months) == len(transformers) * MONTHS
    totals = months.groupby("transformer_id").delivered.sum()
    assert (abs(totals.to_numpy() - transformers.true_delivered.to_numpy()) < 1e-6 * totals.to_numpy()).all()
    assert len(truth.read_feeder_truth(demo.demo_dir)) == demo.report.counts["feeder"]
    assert len(truth.read_water_district_truth(demo.demo_dir)) == demo.report.counts["water_district"]


def test_customer_profiles_hold_payment_behaviour(demo: Demo) -> None:
    profiles = truth.read_customer_profiles(demo.demo_dir)
    assert len(profiles) == CUSTOMERS
    shares = profiles.payment_behaviour.value_counts(normalize=True)
    for behaviour, target in {"on_time": 0.55, "late": 0.25, "partial": 0.12, "never": 0.08}.items():
        assert abs(shares[behaviour] - target) < 0.05, behaviour
    never = profiles[profiles.payment_behaviour == "never"]
    assert (never.paid_share == 0).all() and never.typical_delay_days.isna().all()
    partial = profiles[profiles.payment_behaviour == "partial"]
    assert partial.paid_share.between(0.3, 0.85).all()
    late = profiles[profiles.payment_behaviour == "late"]
    on_time = profiles[profiles.payment_behaviour == "on_time"]
    assert late.typical_delay_days.min() > on_time.typical_delay_days.max()


def test_reading_truth_that_was_not_generated_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(truth.DemoTruthMissingError, match="yeelen demo generate"):
        truth.read_contract_truth(tmp_path)
