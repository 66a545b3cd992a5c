"""Meters and readings: order, digits, roll-overs, replacements, missed readings and estimates, anomalies."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.demo.conftest import Demo
from yeelen.demo.reference import ANOMALIES, ANOMALY_CODES


def test_readings_are_in_date_order_and_inside_the_contract(demo: Demo, readings: pd.DataFrame) -> None:
    by_contract = readings.sort_values(["contract_id", "id"])
    later = by_contract.groupby("contract_id").reading_date.shift()
    assert (by_contract.reading_date >= later).where(later.notna(), True).all()
    assert (readings.reading_date > readings.start_date).all()
    ended = readings.end_date.notna()
    assert (readings.reading_date[ended] <= readings.end_date[ended]).all()
    assert readings.reading_date.min() >= demo.report.horizon_start.isoformat()
    assert readings.reading_date.max() < demo.report.horizon_end.isoformat()
    # Ids follow the calendar, as rows entered over time would.
    assert readings.reading_date.is_monotonic_increasing


def test_index_fits_the_meter_digits(readings: pd.DataFrame) -> None:
    present = readings[readings.index_value.notna()]
    assert (present.index_value >= 0).all()
    assert (present.index_value < 10**present.digits).all()


def test_reading_days_follow_the_round_and_the_cycle(readings: pd.DataFrame) -> None:
    scheduled = readings[readings.reading_date != readings.end_date]
    day = pd.to_datetime(scheduled.reading_date)
    offset = day.dt.day - scheduled.reading_day
    at_month_edge = (day.dt.day == 1) | day.dt.is_month_end
    assert ((offset.abs() <= 2) | at_month_edge).all()
    visits = scheduled[scheduled.source != "estimate"]
    date = pd.to_datetime(visits.reading_date)
    months = visits.assign(month=date.dt.year * 12 + date.dt.month - 1)
    per_contract = months.groupby(["contract_id", "billing_cycle"]).month.agg(["nunique", "min", "max"]).reset_index()
    span = per_contract["max"] - per_contract["min"] + 1
    monthly = per_contract.billing_cycle == "monthly"
    assert (per_contract["nunique"][monthly] == span[monthly]).mean() > 0.99
    bimonthly = per_contract[~monthly]
    assert (bimonthly["nunique"] == (span[~monthly] + 1) // 2).mean() > 0.99
    assert (bimonthly["min"] % 2 == 0).any() and (bimonthly["min"] % 2 == 1).any()


def test_sources_are_mostly_handheld_terminals(readings: pd.DataFrame) -> None:
    visits = readings[readings.source != "estimate"]
    share = (visits.source == "terminal").mean()
    assert 0.8 < share < 0.9
    assert set(readings.source) == {"terminal", "manual", "estimate"}


def test_missed_readings_are_followed_by_an_estimate(readings: pd.DataFrame) -> None:
    ordered = readings.sort_values(["contract_id", "id"]).reset_index(drop=True)
    missed = ordered.index[ordered.index_value.isna()]
    assert len(missed) > 100
    assert set(ordered.anomaly_code[missed]) == {"NO_ACCESS", "UNREADABLE"}
    following = ordered.loc[missed + 1]
    assert (following.source.to_numpy() == "estimate").all()
    assert (following.contract_id.to_numpy() == ordered.contract_id[missed].to_numpy()).all()
    assert (following.reading_date.to_numpy() == ordered.reading_date[missed].to_numpy()).all()
    assert following.index_value.notna().all()
    estimates = ordered.index[ordered.source == "estimate"]
    assert ordered.index_value[estimates - 1].isna().all()
    # At most two estimates in a row, and a real reading ends every run of estimates but the last ones.
    is_estimate = (ordered.source == "estimate").astype(int)
    visits = ordered[ordered.source != "estimate"].copy()
    visits["missed"] = visits.index_value.isna().astype(int)
    run = visits.groupby("contract_id").missed.transform(lambda s: s.groupby((s != s.shift()).cumsum()).cumsum())
    assert run.max() == 2
    assert is_estimate.sum() == len(missed)


def test_estimate_is_the_last_index_plus_the_average_use(readings: pd.DataFrame) -> None:
    ordered = readings.sort_values(["contract_id", "id"]).reset_index(drop=True)
    estimates = ordered.index[ordered.source == "estimate"]
    before = ordered.loc[estimates - 2]
    same = before.contract_id.to_numpy() == ordered.contract_id[estimates].to_numpy()
    same &= before.meter_id.to_numpy() == ordered.meter_id[estimates].to_numpy()
    modulus = 10 ** ordered.digits[estimates].to_numpy()
    step = (ordered.index_value[estimates].to_numpy() - before.index_value.to_numpy()) % modulus
    # An estimate moves the index forward by a plausible amount, never by a wrap.
    assert (step[same] < modulus[same] / 2).all()
    assert np.median(step[same]) > 0


def test_some_meters_roll_over_inside_the_horizon(demo: Demo, real_steps: pd.DataFrame) -> None:
    truth = pd.read_parquet(demo.demo_dir / "ground_truth_contracts.parquet")
    rollover = set(truth.contract_id[truth.meter_rollover])
    wrapped = real_steps[real_steps.step < -(10**real_steps.digits) / 2]
    assert len(wrapped) >= 10
    assert set(wrapped.contract_id) <= rollover
    honest = truth[truth.meter_rollover & ~truth.is_fraud & truth.vacancy_start.isna()].contract_id
    seen = real_steps[real_steps.contract_id.isin(honest)].contract_id.unique()
    assert np.isin(seen, wrapped.contract_id).mean() > 0.9
    # Without a roll-over, an index between two real readings never goes down.
    others = real_steps[~real_steps.contract_id.isin(rollover)]
    assert (others.step >= 0).all()
    after_wrap = (wrapped.step + 10**wrapped.digits) * wrapped.multiplier / wrapped.days * 30.4
    assert after_wrap.max() < 1e6


def test_meter_replacements_keep_a_consistent_history(demo: Demo, readings: pd.DataFrame) -> None:
    installations = demo.table("meter_installation")
    contracts = demo.table("contract")
    assert installations.meter_id.is_unique
    history = installations.groupby("contract_id")
    counts = history.size()
    assert set(counts.index) == set(contracts.id)
    replaced = counts[counts == 2].index
    yearly = len(replaced) / len(contracts) / (demo.report.months / 12)
    assert 0.01 < yearly < 0.04
    pairs = installations[installations.contract_id.isin(replaced)].sort_values(["contract_id", "installed_on"])
    old = pairs.groupby("contract_id").nth(0).set_index("contract_id")
    new = pairs.groupby("contract_id").nth(1).set_index("contract_id")
    assert (old.removed_on == new.installed_on).all()
    assert old.final_index.notna().all()
    assert (new.reason == "replacement").all()
    interventions = demo.table("meter_intervention")
    swaps = interventions[interventions.kind == "replacement"].set_index("contract_id")
    assert set(swaps.index) == set(replaced)
    assert (swaps.loc[old.index].index_value == old.final_index).all()
    assert (swaps.loc[old.index].meter_id == old.meter_id).all()
    assert (swaps.loc[old.index].intervention_date == old.removed_on).all()
    real = readings[(readings.source != "estimate") & readings.index_value.notna()]
    for contract_id in replaced[:100]:
        rows = real[real.contract_id == contract_id]
        on_old = rows[rows.meter_id == old.meter_id[contract_id]]
        on_new = rows[rows.meter_id == new.meter_id[contract_id]]
        assert (on_old.reading_date < old.removed_on[contract_id]).all()
        assert (on_new.reading_date >= new.installed_on[contract_id]).all()
        if len(on_old):
            assert on_old.index_value.iloc[-1] <= old.final_index[contract_id]
        if len(on_new):
            assert on_new.index_value.iloc[0] >= new.initial_index[contract_id]
    meters = demo.table("meter").set_index("id")
    assert (meters.loc[new.meter_id].serial.to_numpy() != meters.loc[old.meter_id].serial.to_numpy()).all()


def test_terminated_contracts_end_with_a_final_reading(demo: Demo, readings: pd.DataFrame) -> None:
    contracts = demo.table("contract")
    terminated = contracts[contracts.status == "terminated"].set_index("id")
    installations = demo.table("meter_installation")
    last_installation = installations.sort_values("installed_on").groupby("contract_id").last()
    final = readings[readings.reading_date == readings.end_date].set_index("contract_id")
    assert set(final.index) == set(terminated.index)
    assert final.index_value.notna().all() and (final.source != "estimate").all()
    closing = last_installation.loc[terminated.index]
    assert (closing.removed_on == terminated.end_date).all()
    assert (closing.final_index == final.loc[terminated.index].index_value).all()
    disconnections = demo.table("meter_intervention")
    disconnections = disconnections[disconnections.kind == "disconnection"]
    assert set(disconnections.contract_id) == set(terminated.index)


def test_new_connections_start_from_their_installation_index(demo: Demo, readings: pd.DataFrame) -> None:
    contracts = demo.table("contract")
    new = contracts[contracts.start_date >= demo.report.horizon_start.isoformat()]
    assert len(new) > 50
    installations = demo.table("meter_installation").sort_values("installed_on").groupby("contract_id").first()
    first = installations.loc[new.id]
    assert (first.installed_on.to_numpy() == new.start_date.to_numpy()).all()
    assert (first.reason == "new_connection").all()
    seals = demo.table("meter_intervention")
    seals = seals[(seals.kind == "seal_placed")]
    assert set(new.id) <= set(seals.contract_id)


def test_anomalies_and_interventions_are_present(demo: Demo, readings: pd.DataFrame) -> None:
    codes = set(readings.anomaly_code.dropna())
    assert codes == set(ANOMALY_CODES)
    with_index = {code for code, _, _, has_index in ANOMALIES if has_index}
    flagged = readings[readings.anomaly_code.isin(with_index)]
    assert flagged.index_value.notna().all()
    assert set(readings[readings.anomaly_code == "LEAK"].commodity) == {"water"}
    interventions = demo.table("meter_intervention")
    assert {"inspection", "seal_placed", "seal_broken", "replacement", "repair", "disconnection"} <= set(
        interventions.kind
    )
    broken = interventions[interventions.kind == "seal_broken"]
    assert (broken.seal_ok == 0).all()
    placed = interventions[interventions.kind == "seal_placed"]
    assert placed.seal_number.notna().all() and placed.seal_number.str.match(r"^SC\d{8}$").all()
    assert interventions.intervention_date.is_monotonic_increasing
    meters = demo.table("meter")
    assert meters.serial.is_unique
    assert set(meters.meter_type) == {"single_phase", "three_phase", "mv", "water"}
    assert set(meters.digits) == {5, 6}
    assert set(meters.multiplier[meters.meter_type == "mv"]) <= {10, 100}
