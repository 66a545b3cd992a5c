"""Inspections of the demo utility's suspects, as field teams would have recorded them month after month.

For each of the last months of the demo horizon the suspect list is computed as it stood on the first day of
that month (the suspect models run with ``as_of_date`` on a copy of the warehouse, so that the live one is never
touched), the top suspects not inspected yet are inspected, and the outcome is what the generator knows: a thief
found stealing, an honest customer, now and then a faulty meter or a closed door. The inspections are written to
the operational database with the rules that fired at request time, which is what the hit-rate mart
(``rpt_suspect_rule_hit_rates``) and any model learned from past inspections start from.
"""

from __future__ import annotations

import datetime as dt
import decimal
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

from operational_api.db import make_engine, session_factory, unit_of_work, utcnow
from operational_api.field.models import Inspection
from yeelen.demo.truth import read_contract_truth, read_generation
from yeelen.errors import YeelenError
from yeelen.settings import Settings

Say = Callable[[str], None]
ACTOR = "demo"
SUSPECT_MODELS = (
    "int_suspect_features_computed",
    "int_suspect_rules_evaluated",
    "fct_suspect_reasons",
    "fct_suspect_contracts",
)
TOP_SQL = """
select contract_id, rule_codes, score, priority, priority_rank, evaluation_date
from marts.fct_suspect_contracts
where is_suspect
order by priority desc, contract_id
limit {limit}
"""
# What field teams find: a thief is caught unless nobody opens the door; an honest customer is cleared, and now
# and then the meter itself is faulty.
NO_ACCESS_SHARE = 0.08
METER_FAULT_SHARE = 0.07
INSPECTORS = ("Équipe contrôle 1", "Équipe contrôle 2", "Équipe contrôle 3")


@dataclass
class InspectionReport:
    """Inspections recorded per month of request and their outcomes."""

    months: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def inspections(self) -> int:
        """Inspections recorded in all."""
        return sum(self.months.values())

    def summary(self) -> str:
        """A few lines for the command line."""
        lines = [f"{self.inspections:,} inspections recorded"]
        lines += [f"  {month}: {count:,}" for month, count in sorted(self.months.items())]
        if self.outcomes:
            lines.append(
                "  outcomes: " + ", ".join(f"{name} {count:,}" for name, count in sorted(self.outcomes.items()))
            )
        return "\n".join(lines)


def request_dates(horizon_end: dt.date, months: int) -> list[dt.date]:
    """The first day of each of the ``months`` months before ``horizon_end``, oldest first."""
    dates = []
    month = horizon_end.replace(day=1)
    for _ in range(months):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        dates.append(month)
    return sorted(dates)


def outcome_for(is_thief: bool, draw: float) -> str:
    """What an inspection finds, from the truth and a uniform draw in [0, 1)."""
    if draw < NO_ACCESS_SHARE:
        return "no_access"
    if is_thief:
        return "fraud_confirmed"
    return "meter_fault" if draw < NO_ACCESS_SHARE + METER_FAULT_SHARE else "no_fraud"


def _suspects_as_of(settings: Settings, on: dt.date, limit: int, workdir: Path) -> pd.DataFrame:
    """The top suspects as the list stood on ``on``, from the suspect models run on the warehouse copy."""
    import duckdb

    from yeelen.transform import run_dbt

    outcome = run_dbt(
        settings,
        ["--quiet", "run", "--select", *SUSPECT_MODELS, "--vars", f"{{as_of_date: '{on.isoformat()}'}}"],
        target_path=workdir / "target",
    )
    if not outcome.success:
        raise YeelenError(
            "The suspect models could not run on the copy of the warehouse:\n  " + "\n  ".join(outcome.failures)
        )
    # dbt ran in this process and keeps the file open read-write: open it the same way.
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        return connection.execute(TOP_SQL.format(limit=int(limit))).df()


def _stolen_energy(truth: pd.DataFrame, on: dt.date, horizon: tuple[dt.date, dt.date]) -> pd.Series:
    """Energy a confirmed thief took up to ``on``: its stolen total shared by the months it stole before then."""
    start, end = (pd.Timestamp(day) for day in horizon)
    theft_start = pd.to_datetime(truth["theft_start"]).fillna(end)
    stealing_days = (end - theft_start).dt.days.clip(lower=1)
    before = (pd.Timestamp(on) - theft_start).dt.days.clip(lower=0)
    stolen = (truth["true_consumption"] - truth["reported_consumption"]).clip(lower=0)
    return (stolen * before / stealing_days).round(3)


def record_inspections(
    settings: Settings,
    *,
    months: int = 6,
    per_month: int = 100,
    seed: int | None = None,
    say: Say | None = None,
) -> InspectionReport:
    """Inspect the top ``per_month`` suspects of each of the last ``months`` months, with outcomes from the truth.

    Months already inspected by the demo are skipped, so running it again adds nothing. The suspect models run
    on a copy of the DuckDB warehouse; on a server warehouse they run in place and are rebuilt for today after.
    """
    say = say or (lambda message: None)
    generation = read_generation(settings.demo_dir)
    horizon = (dt.date.fromisoformat(generation["horizon_start"]), dt.date.fromisoformat(generation["horizon_end"]))
    rng = np.random.default_rng(int(seed if seed is not None else generation["seed"]) + 104729)
    truth = read_contract_truth(settings.demo_dir).set_index("contract_id")
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    with factory() as session:
        done = set(session.scalars(select(Inspection.requested_on).where(Inspection.requested_by == ACTOR)))
        inspected = set(session.scalars(select(Inspection.contract_id)))
    dates = [day for day in request_dates(horizon[1], months) if day not in done]
    report = InspectionReport()
    if not dates:
        engine.dispose()
        say("Every month asked for is already inspected")
        return report

    workdir = Path(tempfile.mkdtemp(prefix="yeelen-inspections-"))
    try:
        working = settings
        if settings.warehouse_engine == "duckdb":
            copy = workdir / "warehouse.duckdb"
            shutil.copyfile(settings.warehouse_path, copy)
            working = settings.model_copy(update={"warehouse_path": copy})
        for day in dates:
            say(f"Suspects as of {day:%d/%m/%Y}")
            suspects = _suspects_as_of(working, day, per_month + len(inspected), workdir)
            suspects = suspects[~suspects["contract_id"].isin(inspected)].head(per_month)
            rows = _inspection_rows(suspects, truth, day, horizon, rng)
            if rows:
                with unit_of_work(factory) as session:
                    session.execute(insert(Inspection.__table__), rows)
            inspected.update(int(contract) for contract in suspects["contract_id"])
            report.months[day.isoformat()] = len(rows)
            for row in rows:
                report.outcomes[row["outcome"]] = report.outcomes.get(row["outcome"], 0) + 1
            say(f"  {len(rows)} inspections")
    finally:
        if settings.warehouse_engine != "duckdb":
            from yeelen.transform import run_dbt

            run_dbt(settings, ["--quiet", "run", "--select", *SUSPECT_MODELS], target_path=workdir / "target")
        engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _inspection_rows(
    suspects: pd.DataFrame,
    truth: pd.DataFrame,
    day: dt.date,
    horizon: tuple[dt.date, dt.date],
    rng: np.random.Generator,
) -> list[dict]:
    """Inspection rows for the suspects of one month, requested on ``day`` and visited within three weeks."""
    if suspects.empty:
        return []
    known = truth.reindex(suspects["contract_id"])
    theft_start = pd.to_datetime(known["theft_start"])
    thief = known["is_fraud"].fillna(False).astype(bool) & (theft_start <= pd.Timestamp(day)).fillna(False)
    stolen = _stolen_energy(known, day, horizon)
    draws = rng.random(len(suspects))
    delays = rng.integers(3, 21, len(suspects))
    teams = rng.integers(0, len(INSPECTORS), len(suspects))
    now = utcnow()
    rows = []
    for position, suspect in enumerate(suspects.itertuples(index=False)):
        outcome = outcome_for(bool(thief.iloc[position]), float(draws[position]))
        rows.append(
            {
                "contract_id": int(suspect.contract_id),
                "requested_on": day,
                "requested_by": ACTOR,
                "suspect_rules": (suspect.rule_codes or "")[:400] or None,
                "suspect_score": decimal.Decimal(f"{float(suspect.score):.4f}"),
                "route_order": position + 1,
                "inspected_on": day + dt.timedelta(days=int(delays[position])),
                "inspector": INSPECTORS[int(teams[position])],
                "outcome": outcome,
                "energy_recovered": decimal.Decimal(f"{float(stolen.iloc[position]):.3f}")
                if outcome == "fraud_confirmed"
                else None,
                "notes": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows
