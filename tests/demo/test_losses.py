"""Losses: technical ones on every transformer, feeder and water district; thefts on a known set of customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.demo.conftest import Demo
from yeelen.demo.reference import PATTERN_CODES


@pytest.fixture(scope="module")
def truth(demo: Demo) -> pd.DataFrame:
    return pd.read_parquet(demo.demo_dir / "ground_truth_contracts.parquet")


@pytest.fixture(scope="module")
def rates(truth: pd.DataFrame, real_steps: pd.DataFrame) -> pd.DataFrame:
    """Per thief (and per honest domestic customer, with a pretend start), daily use before and after the start."""
    steps = real_steps[(real_steps.step >= 0) & (real_steps.days > 0)].copy()
    steps["rate"] = steps.step * steps.multiplier / steps.days
    start = truth.set_index("contract_id").theft_start
    honest = truth[~truth.is_fraud & truth.category.isin(["DOM", "DOM_SOCIAL"]) & truth.vacancy_start.isna()]
    pretend = pd.Series(pd.Timestamp("2025-01-01"), index=honest.contract_id)
    start = pd.to_datetime(start.dropna()).combine_first(pretend)
    steps = steps[steps.contract_id.isin(start.index)]
    steps["start"] = start[steps.contract_id].to_numpy()
    date = pd.to_datetime(steps.reading_date)
    previous = pd.to_datetime(steps.previous_date)
    steps["phase"] = np.select([date <= steps.start, previous >= steps.start], ["before", "after"], "across")
    table = steps.groupby(["contract_id", "phase"]).rate.agg(["mean", "std", "count"]).unstack("phase")
    table.columns = [f"{statistic}_{phase}" for statistic, phase in table.columns]
    return table.join(truth.set_index("contract_id")[["pattern", "is_fraud", "alpha"]])


def test_thieves_are_a_few_percent_concentrated_on_lossy_transformers(demo: Demo, truth: pd.DataFrame) -> None:
    transformers = pd.read_parquet(demo.demo_dir / "ground_truth_transformers.parquet")
    low_voltage = truth[truth.transformer_id.notna()]
    share = low_voltage.is_fraud.mean()
    assert 0.025 < share < 0.06, share
    lossy = set(transformers.transformer_id[transformers.is_lossy])
    assert 0.08 < len(lossy) / len(transformers) < 0.2
    on_lossy = low_voltage[low_voltage.is_fraud].transformer_id.isin(lossy).mean()
    assert 0.6 < on_lossy < 1.0, "most but not all thieves hang on lossy transformers"
    assert set(truth.pattern.dropna()) == set(PATTERN_CODES)
    assert truth[truth.is_fraud].theft_start.notna().all()
    assert truth[~truth.is_fraud].pattern.isna().all()
    assert (truth[truth.commodity == "water"].is_fraud == False).all()  # noqa: E712


def test_most_thefts_leave_six_honest_months(demo: Demo, truth: pd.DataFrame) -> None:
    contracts = demo.table("contract").set_index("id")
    thieves = truth[truth.is_fraud].set_index("contract_id")
    start = pd.to_datetime(thieves.theft_start)
    active_from = pd.to_datetime(contracts.start_date[thieves.index]).clip(
        lower=pd.Timestamp(demo.report.horizon_start)
    )
    honest_months = (start - active_from).dt.days / 30.4
    assert (honest_months >= 5.9).mean() > 0.8
    assert (start < pd.Timestamp(demo.report.horizon_end)).all()


def test_zero_pattern_stops_the_index(truth: pd.DataFrame, readings: pd.DataFrame) -> None:
    zero = truth[truth.pattern == "zero"].set_index("contract_id").theft_start
    real = readings[readings.contract_id.isin(zero.index) & (readings.source != "estimate")].dropna(
        subset=["index_value"]
    )
    after = real[real.reading_date >= zero[real.contract_id].astype(str).to_numpy()]
    moves = after.groupby(["contract_id", "meter_id"]).index_value.nunique()
    assert len(moves) >= 3
    assert (moves == 1).all()
    before = real[real.reading_date < zero[real.contract_id].astype(str).to_numpy()]
    assert (before.groupby("contract_id").index_value.nunique() > 1).mean() > 0.8
    stuck = readings[readings.contract_id.isin(zero.index) & (readings.anomaly_code == "METER_STUCK")]
    assert len(stuck) > 0


def test_cut_patterns_lower_the_reported_use(rates: pd.DataFrame) -> None:
    ratio = (rates.mean_after / rates.mean_before).dropna()
    pattern = rates.pattern.reindex(ratio.index)
    honest = ratio[pattern.isna()]
    assert 0.8 < honest.median() < 1.25
    for name in ("constant_cut", "progressive", "post_intervention"):
        assert ratio[pattern == name].median() < 0.8, name
    constant = rates[rates.pattern == "constant_cut"]
    measured = (constant.mean_after / constant.mean_before).dropna()
    assert np.corrcoef(measured, constant.alpha[measured.index])[0, 1] > 0.5
    intermittent = ratio[pattern == "intermittent"]
    assert intermittent.median() < honest.median()


def test_progressive_reduction_deepens_over_time(truth: pd.DataFrame, real_steps: pd.DataFrame) -> None:
    fading = truth[truth.pattern == "progressive"].set_index("contract_id")
    steps = real_steps[real_steps.contract_id.isin(fading.index) & (real_steps.step >= 0)].copy()
    steps["rate"] = steps.step * steps.multiplier / steps.days
    steps["since"] = (
        pd.to_datetime(steps.reading_date) - pd.to_datetime(fading.theft_start[steps.contract_id].to_numpy())
    ).dt.days
    early = steps[(steps.since > 0) & (steps.since <= 70)].groupby("contract_id").rate.mean()
    late = steps[steps.since > 200].groupby("contract_id").rate.mean()
    both = early.index.intersection(late.index)
    assert len(both) >= 3
    assert (late[both] < early[both]).mean() > 0.7


def test_intermittent_theft_switches_on_and_off(rates: pd.DataFrame) -> None:
    variation = rates.std_after / rates.mean_after
    pattern = rates.pattern.reindex(variation.index)
    stealing = variation[(pattern == "intermittent") & (rates.count_after >= 4)].dropna()
    honest = variation[pattern.isna() & (rates.count_after >= 4)].dropna()
    assert len(stealing) >= 3
    assert stealing.median() > 1.5 * honest.median()


def test_post_intervention_cut_follows_a_visit(demo: Demo, truth: pd.DataFrame) -> None:
    tampered = truth[truth.pattern == "post_intervention"].set_index("contract_id")
    assert len(tampered) >= 3
    visits = demo.table("meter_intervention")
    repairs = visits[(visits.kind == "repair")].set_index("contract_id")
    assert set(tampered.index) <= set(repairs.index)
    visit = pd.to_datetime(repairs.intervention_date[tampered.index])
    start = pd.to_datetime(tampered.theft_start)
    assert (visit < start).all()
    assert ((start - visit).dt.days <= 31).all()
    assert (pd.to_datetime(tampered.intervention_date) == visit).all()


def _network_rows(demo: Demo, kind: str, column: str) -> pd.DataFrame:
    rows = demo.frame(
        f"select m.{column} as equipment, m.multiplier, r.reading_date, r.index_value from network_reading r"
        f" join network_meter m on m.id = r.network_meter_id where m.kind = '{kind}'"
    )
    return rows.sort_values(["equipment", "reading_date"])


def _delivered(demo: Demo, kind: str, column: str, since: str | None = None) -> pd.Series:
    """Quantity counted by each network meter of a kind, from ``since`` (or the first reading) to the last."""
    rows = _network_rows(demo, kind, column)
    if since:
        rows = rows[rows.reading_date >= since]
    first = rows.groupby("equipment").first()
    last = rows.groupby("equipment").last()
    return (last.index_value - first.index_value) * first.multiplier


def _last_months(demo: Demo, months: int) -> str:
    end = pd.Timestamp(demo.report.horizon_end)
    return (end - pd.DateOffset(months=months)).date().isoformat()


def test_network_meters_are_read_monthly_on_the_first(demo: Demo) -> None:
    readings = demo.table("network_reading")
    meters = demo.table("network_meter")
    assert set(pd.to_datetime(readings.reading_date).dt.day) == {1}
    assert (readings.groupby("network_meter_id").size() == demo.report.months + 1).all()
    assert set(meters.kind) == {"feeder", "transformer", "water_district"}
    counts = meters.kind.value_counts()
    assert counts["transformer"] == len(demo.table("transformer"))
    assert counts["feeder"] == len(demo.table("feeder"))
    assert counts["water_district"] == len(demo.table("water_district"))
    steps = readings.sort_values(["network_meter_id", "reading_date"]).groupby("network_meter_id").index_value.diff()
    assert (steps.dropna() > 0).all()


def test_transformers_deliver_more_than_their_customers_report(demo: Demo) -> None:
    transformers = pd.read_parquet(demo.demo_dir / "ground_truth_transformers.parquet").set_index("transformer_id")
    delivered = _delivered(demo, "transformer", "transformer_id")
    assert np.allclose(delivered, transformers.true_delivered[delivered.index], rtol=0, atol=2 * 25)
    technical = transformers.technical_loss / transformers.true_consumption
    assert technical.between(0.0299, 0.0801).all()
    loss = 1 - transformers.reported_consumption / delivered[transformers.index]
    assert (loss > 0.028).all()
    # Once the thefts have started, lossy transformers lose far more than the others.
    since = _last_months(demo, 6)
    months = pd.read_parquet(demo.demo_dir / "ground_truth_transformer_months.parquet")
    recent = months[months.month >= pd.Timestamp(since).date()].groupby("transformer_id").reported_consumption.sum()
    recent_loss = 1 - recent / _delivered(demo, "transformer", "transformer_id", since)[recent.index]
    lossy = transformers.is_lossy[recent.index]
    assert recent_loss[lossy].median() > recent_loss[~lossy].median() + 0.06
    assert recent_loss[lossy].median() > 0.12


def test_loss_is_visible_from_readings_alone(demo: Demo, real_steps: pd.DataFrame) -> None:
    """Customers' consumption from their own readings falls short of the transformer meter, more on lossy ones."""
    since = _last_months(demo, 6)
    steps = real_steps[real_steps.previous_date >= since].copy()
    steps.loc[steps.step < -(10**steps.digits) / 2, "step"] += 10**steps.digits
    days = (pd.Timestamp(demo.report.horizon_end) - pd.Timestamp(since)).days
    per_contract = steps.groupby("contract_id")
    rate = (steps.step * steps.multiplier).groupby(steps.contract_id).sum() / per_contract.days.sum()
    points = demo.frame(
        "select c.id, d.transformer_id from contract c join delivery_point d on d.id = c.delivery_point_id"
        " where d.transformer_id is not null and c.status = 'active'"
    ).set_index("id")
    used = (rate.reindex(points.index).fillna(0) * days).groupby(points.transformer_id).sum()
    delivered = _delivered(demo, "transformer", "transformer_id", since)
    lossy = pd.read_parquet(demo.demo_dir / "ground_truth_transformers.parquet").set_index("transformer_id").is_lossy
    share = 1 - used / delivered[used.index]
    assert share[lossy].median() > share[~lossy].median() + 0.06


def test_feeders_add_line_losses_and_medium_voltage(demo: Demo) -> None:
    feeders = _delivered(demo, "feeder", "feeder_id")
    transformers = _delivered(demo, "transformer", "transformer_id")
    feeder_of = demo.table("transformer").set_index("id").feeder_id
    downstream = transformers.groupby(feeder_of[transformers.index].to_numpy()).sum()
    mv = pd.read_parquet(demo.demo_dir / "ground_truth_feeders.parquet").set_index("feeder_id").mv_consumption
    below = downstream.reindex(feeders.index).fillna(0) + mv[feeders.index]
    line = 1 - below / feeders
    assert line.between(0.015, 0.045).all(), line.describe()
    assert (mv > 0).sum() >= 1


def test_water_districts_lose_15_to_35_percent(demo: Demo) -> None:
    delivered = _delivered(demo, "water_district", "water_district_id")
    truth = pd.read_parquet(demo.demo_dir / "ground_truth_water_districts.parquet").set_index("water_district_id")
    loss = 1 - truth.true_consumption / delivered[truth.index]
    assert loss.between(0.14, 0.36).all(), loss
    assert truth.loss_share.between(0.15, 0.35).all()
