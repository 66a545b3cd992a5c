"""Every attack pattern the generator injects is caught by the suspect rules, and inspections close the loop."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from tests.losses.utility import Utility, utility_under
from yeelen.demo.reference import PATTERN_CODES
from yeelen.demo.truth import read_contract_truth

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def utility(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Utility]:
    with utility_under(tmp_path_factory.mktemp("suspects") / "var", 2000, 24, 1, "2026-10") as prepared:
        yield prepared


@pytest.fixture(scope="module")
def suspects(utility: Utility) -> pd.DataFrame:
    listed = utility.query(
        "select contract_id, is_suspect, priority_rank, score, rule_codes, reasons_fr, reasons_en, latitude"
        " from marts.fct_suspect_contracts"
    ).set_index("contract_id")
    truth = read_contract_truth(utility.demo_dir).set_index("contract_id")
    return listed.join(truth[["is_fraud", "pattern"]])


@pytest.mark.parametrize("pattern", PATTERN_CODES)
def test_each_attack_pattern_is_caught(suspects: pd.DataFrame, pattern: str) -> None:
    thieves = suspects[suspects["pattern"] == pattern]
    assert len(thieves) >= 5, f"the utility has too few {pattern} thieves to judge"
    flagged = thieves[thieves["is_suspect"]]
    # Most thieves of every pattern are on the field list, and the best placed one near its top.
    assert len(flagged) / len(thieves) >= 0.4, (pattern, len(flagged), len(thieves))
    assert flagged["priority_rank"].min() <= 30, (pattern, flagged["priority_rank"].min())


def test_the_field_list_is_mostly_thieves_with_their_reasons(suspects: pd.DataFrame) -> None:
    flagged = suspects[suspects["is_suspect"]]
    assert len(flagged) >= 30
    assert flagged["is_fraud"].fillna(False).mean() >= 0.7
    top = suspects.sort_values("priority_rank").head(20)
    assert top["is_fraud"].fillna(False).mean() >= 0.9
    assert flagged["rule_codes"].notna().all() and flagged["reasons_fr"].notna().all()
    assert flagged["latitude"].notna().all()
    # A meter stopped for good is found by the rules made for it (a theft started days ago may not be yet).
    zero = flagged[flagged["pattern"] == "zero"]
    assert zero["rule_codes"].str.contains("ZERO_ACTIVE|INDEX_STUCK").mean() >= 0.8
    assert zero["reasons_en"].str.contains("Zero consumption|Index not moving").mean() >= 0.8


def test_inspections_of_past_months_give_each_rule_a_hit_rate(utility: Utility) -> None:
    from yeelen.demo.inspections import record_inspections

    report = record_inspections(utility.settings, months=2, per_month=15)
    assert report.inspections >= 20
    assert report.outcomes.get("fraud_confirmed", 0) > report.outcomes.get("no_fraud", 0)
    again = record_inspections(utility.settings, months=2, per_month=15)
    assert again.inspections == 0, "months already inspected are not inspected twice"
    utility.ingest()
    utility.build(["stg_operational__inspections", "rpt_suspect_rule_hit_rates"])
    rates = utility.query(
        "select rule_code, request_month, inspections, hit_rate from marts.rpt_suspect_rule_hit_rates"
        " where agency_id is null"
    )
    overall = rates[rates["rule_code"] == "ALL"]
    assert len(overall) == 2 and overall["inspections"].sum() == report.inspections
    assert (overall["hit_rate"] > 0.5).all()
    assert {"ZERO_ACTIVE", "FALL_LEVEL"} <= set(rates["rule_code"])
