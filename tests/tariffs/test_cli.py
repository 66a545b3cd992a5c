"""`yeelen tariff quote` and `yeelen tariff vend`: the bill or the energy of one case, printed as JSON, with the
amounts computed by hand; refusals on the command line say what to give."""

from __future__ import annotations

import json

import pytest

from yeelen.cli import main


def _printed(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _amounts(result: dict) -> dict[str, str]:
    return {line["code"]: line["amount"] for line in result["lines"]}


QUOTE = ["tariff", "quote", "--grid", "SENELEC_DPP", "--start", "2026-01-01", "--end", "2026-02-01"]


def test_quote_prints_each_line_of_the_bill(yeelen_home, capsys) -> None:
    # 151 kWh in January 2026: 150 x 82.00 = 12,300; 1 x 136.49 -> 136; meter fee 429; municipal tax 2.5 % of
    # the energy (12,436) = 310.9 -> 311; no VAT under 250 kWh. Total 13,176.
    bill = _printed(capsys, [*QUOTE, "--consumption", "151", "--meter-type", "single_phase"])
    assert _amounts(bill) == {"T1": "12300", "T2": "136", "REDEVANCE": "429", "TCO": "311"}
    assert bill["total"] == "13176"
    assert (bill["currency"], bill["unit"]) == ("XOF", "kWh")
    labels = {line["code"]: line["label"] for line in bill["lines"]}
    assert labels["T2"] == "Tranche 2 (150 à 250 kWh)"
    tax = next(line for line in bill["lines"] if line["code"] == "TCO")
    assert (tax["base"], tax["unit_price"]) == ("12436", "0.025")

    english = _printed(capsys, [*QUOTE, "--consumption", "151", "--meter-type", "single_phase", "--language", "en"])
    assert _amounts(english) == _amounts(bill)
    assert {line["code"]: line["label"] for line in english["lines"]}["T2"] == "Block 2 (150 to 250 kWh)"


def test_quote_takes_a_decimal_comma_and_refuses_what_it_cannot_price(yeelen_home, capsys) -> None:
    # 150,5 kWh as typed in French is 150.5: 12,300 + 0.5 x 136.49 = 68.245 -> 68.
    comma = _printed(capsys, [*QUOTE, "--consumption", "150,5", "--meter-type", "single_phase"])
    point = _printed(capsys, [*QUOTE, "--consumption", "150.5", "--meter-type", "single_phase"])
    assert comma == point and _amounts(comma)["T2"] == "68"

    # 1,000 is a thousand in English and one in French: refused, with both ways to write it.
    assert main([*QUOTE, "--consumption", "1,000", "--meter-type", "single_phase"]) == 2
    assert "'1,000' reads as a thousands separator or as a decimal comma; write 1000 or 1.000" in (
        capsys.readouterr().err
    )
    assert main([*QUOTE, "--consumption", "151"]) == 2
    assert "REDEVANCE depends on the meter type, and none was given (one of: single_phase" in capsys.readouterr().err
    assert main([*QUOTE, "--consumption", "12,5,0", "--meter-type", "single_phase"]) == 2
    assert "--consumption must be a number, not '12,5,0'" in capsys.readouterr().err
    assert main([*QUOTE, "--consumption", "-5", "--meter-type", "single_phase"]) == 2
    assert "cannot be negative" in capsys.readouterr().err


VEND = ["tariff", "vend", "--grid", "SENELEC_DPP", "--date", "2026-03-10", "--meter-type", "single_phase"]


def test_vend_turns_an_amount_into_energy_with_the_month_fee_at_the_first_purchase(yeelen_home, capsys) -> None:
    # 10,000 F, first purchase of March: the fee 429 first; 113.8 kWh x 82.00 = 9,331.6 -> 9,332, municipal tax
    # 2.5 % = 233.3 -> 233; 9,994 charged, 6 F left (0.1 kWh more would cost more than the amount).
    first = _printed(capsys, [*VEND, "--amount", "10000"])
    assert (first["energy"], first["total_charged"], first["remainder"]) == ("113.800", "9994", "6")
    assert _amounts(first) == {"REDEVANCE": "429", "T1": "9332", "TCO": "233"}


@pytest.mark.parametrize("amount", ["5000", "5000,0"])
def test_vend_counts_the_month_earlier_purchases_across_a_block_boundary(yeelen_home, capsys, amount) -> None:
    # 140 kWh bought earlier in the month, fee already taken: 10 kWh left in the first block (820), then 29.7 kWh at
    # 136.49 = 4,053.753 -> 4,054; tax 2.5 % of 4,874 = 121.85 -> 122; 4,996 charged, 4 F left.
    later = _printed(capsys, [*VEND, "--amount", amount, "--bought", "140", "--not-first"])
    assert (later["energy"], later["total_charged"], later["remainder"]) == ("39.700", "4996", "4")
    assert _amounts(later) == {"T1": "820", "T2": "4054", "TCO": "122"}
    assert [line["quantity"] for line in later["lines"] if line["kind"] == "energy"] == ["10.000", "29.700"]


SOCIAL = ["tariff", "quote", "--grid", "SOCIAL_DOM", "--consumption", "150", "--start", "2026-01-01"]


def test_quote_keeps_the_social_grid_while_the_history_stays_under_its_limit(yeelen_home, capsys) -> None:
    social = [*SOCIAL, "--end", "2026-02-01", "--meter-type", "single_phase", "--history"]
    # SOCIAL_DOM is kept while the average of 3 periods, the billed one (150 kWh) and the 2 before it, stays at or
    # under 150 kWh a month.
    kept = _printed(capsys, [*social, "900:1,150:1,150:1"])
    assert (kept["grid_code"], kept["notes"]) == ("SOCIAL_DOM", [])
    # 150 + 150,5 + 150 = 450,5 over 3 months: 150.17 a month, over the limit. Decimal commas need ';' between
    # periods, which the command reads as typed.
    lost = _printed(capsys, [*social, "150:1;150,5:1"])
    assert (lost["requested_grid"], lost["grid_code"]) == ("SOCIAL_DOM", "SENELEC_DPP")
    assert lost["notes"] == ["SOCIAL_DOM: average over 3 periods above 150 per month, billed on SENELEC_DPP"]
    # 150 + 149,5 + 150: 149.83 a month, kept.
    assert _printed(capsys, [*social, "150:1;149,5:1"])["grid_code"] == "SOCIAL_DOM"

    # With ',' between periods, '150,5:1' would be read as two periods, 150 and 5: refused, saying what to type.
    assert main([*social, "150,5:1,150:1"]) == 2
    assert "the period '150' has no ':months' while others have" in capsys.readouterr().err
    assert main([*social, "150:x"]) == 2
    assert "the months of '150:x' must be a whole number of months" in capsys.readouterr().err
