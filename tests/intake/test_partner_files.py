"""Bank statements, mobile money statements and prepaid vending exports through the inbox, row by row."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from operational_api.db import session_factory, unit_of_work
from tests.intake.conftest import Utility, write
from yeelen.intake import replay_file, take_file
from yeelen.intake.kinds import inbox_kinds

KINDS = inbox_kinds()


def _customer_and_contract(utility: Utility) -> tuple[str, str]:
    return utility.rows(
        "select u.reference, c.reference from contract c join customer u on u.id = c.customer_id order by c.id limit 1"
    )[0]


def test_a_bank_statement_becomes_payments_with_their_ledger_entries(utility: Utility) -> None:
    customer, contract = _customer_and_contract(utility)
    path = write(
        utility.inbox("bank") / "cbao_2026-10-15.csv",
        [
            "bank;value_date;bank_reference;bill_reference;amount;currency;payer",
            f"CBAO;2026-10-15;VIR-0001;{customer};12500;XOF;Awa Ndiaye",
            f"CBAO;15/10/2026;VIR-0002;{contract};7000;;",
            "CBAO;2026-10-15;VIR-0003;C999999999;1000;XOF;",  # unknown customer
            f"CBAO;2026-10-15;VIR-0001;{customer};12500;XOF;",  # the same transfer twice in the file
            f"CBAO;2026-10-15;VIR-0004;{customer};12,5;XOF;",  # francs have no decimals
            f"CBAO;2026-10-15;VIR-0005;{customer};100;EUR;",  # another currency
        ],
    )
    report = take_file(utility.settings, KINDS["bank"], path)
    assert (report.loaded, report.quarantined) == (2, 4)
    assert report.metadata["amount"] == 19500
    assert utility.rows(
        "select p.receipt_number, p.amount, p.method, p.channel, p.partner, p.partner_reference, e.amount"
        " from payment p join ledger_entry e on e.payment_id = p.id order by p.id"
    ) == [
        ("B2026-CBAO-0000001", 12500, "transfer", "bank", "CBAO", "VIR-0001", -12500),
        ("B2026-CBAO-0000002", 7000, "transfer", "bank", "CBAO", "VIR-0002", -7000),
    ]
    reasons = dict(utility.rows("select line_number, reason from intake_quarantine"))
    assert reasons == {
        4: "no customer or contract C999999999",
        5: "bank_reference VIR-0001 already on line 2",
        6: "amount '12,5' has more than 0 decimal(s)",
        7: "currency EUR (the utility bills in XOF)",
    }
    # The same transfer in the next day's statement is held: never paid twice.
    again = write(
        utility.inbox("bank") / "cbao_2026-10-16.csv",
        ["bank,value_date,bank_reference,bill_reference,amount", f"CBAO,2026-10-16,VIR-0002,{contract},7000"],
    )
    second = take_file(utility.settings, KINDS["bank"], again)
    assert (second.loaded, second.quarantined) == (0, 1)
    assert "already recorded as receipt B2026-CBAO-0000002" in utility.scalar(
        "select reason from intake_quarantine where file_id = :f", f=second.file_id
    )


def test_a_prepaid_vending_export_becomes_prepaid_purchases(utility: Utility) -> None:
    contract, serial = utility.rows(
        "select c.reference, m.serial from contract c join meter_installation i on i.contract_id = c.id"
        " join meter m on m.id = i.meter_id where c.category = 'DOM' and i.removed_on is null order by c.id limit 1"
    )[0]
    utility.execute("update contract set payment_mode = 'prepaid' where reference = :c", c=contract)
    postpaid = utility.rows("select reference from contract where payment_mode = 'postpaid' order by id limit 1")[0][0]
    path = write(
        utility.inbox("prepaid") / "woyofal_2026-10-20.csv",
        [
            "vendor,transaction_id,vended_at,contract_reference,meter_serial,amount,energy,token",
            f"WOYOFAL,T-1,2026-10-20T08:00:00Z,{contract},,5000,38.2,12345678901234567890",
            f"WOYOFAL,T-2,2026-10-20T18:30:00Z,,{serial},3000,20.5,",
            f"WOYOFAL,T-3,2026-10-20T19:00:00Z,{postpaid},,3000,20.5,",
            "WOYOFAL,T-4,2026-10-20T19:00:00Z,,NO-SUCH-METER,3000,20.5,",
            f"WOYOFAL,T-5,2026-10-20T19:00:00Z,{contract},,3000,20.5555,",
            f"WOYOFAL,T-6,2026-10-20T19:10:00Z,{contract},,3000,20.5,{'9' * 41}",
        ],
    )
    report = take_file(utility.settings, KINDS["prepaid"], path)
    assert (report.loaded, report.quarantined) == (2, 4)
    rows = utility.rows(
        "select partner_reference, amount, energy, month_energy_before, fee_taken, grid_code, purchase_date"
        " from prepaid_purchase order by purchased_at"
    )
    assert [row[:2] for row in rows] == [("T-1", 5000), ("T-2", 3000)]
    assert [str(row[3]) for row in rows] == ["0", "38.2"], "the month's second purchase continues from the first"
    assert [bool(row[4]) for row in rows] == [True, False], "the month's fixed charges come with the first"
    assert {row[5] for row in rows} == {"SENELEC_DPP"} and rows[0][6] == "2026-10-20"
    reasons = dict(utility.rows("select line_number, reason from intake_quarantine"))
    assert reasons[4] == f"contract {postpaid} is postpaid: its energy is billed, not vended"
    assert reasons[5] == "no contract has meter NO-SUCH-METER on 2026-10-20"
    assert reasons[6] == "energy '20.5555' has more than 3 decimal(s)"
    assert "token" in reasons[7] and "40" in reasons[7], reasons[7]


# The columns of a mobile money operator's daily statement, as the partners send them.
STATEMENT_HEADER = "transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status,payer"


def _partner(utility: Utility, code: str) -> None:
    utility.execute(
        "insert into payment_partner (code, name, secret_hash, active, created_by, created_at, updated_at)"
        " values (:c, 'MTN Mobile Money', 'x', true, 'admin', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        c=code,
    )


def test_a_mobile_money_line_held_between_good_ones_leaves_the_others_their_numbers(utility: Utility) -> None:
    _partner(utility, "MTN_MOMO")
    customer, _ = _customer_and_contract(utility)
    header = STATEMENT_HEADER
    path = write(
        utility.inbox("mobile_money") / "MTN_MOMO_2026-10-05.csv",
        [
            header,
            f"2026-10-05T08:15:00Z,ref-a,FT1,{customer},1000,XOF,SUCCESSFUL,",
            f"2026-10-05T09:00:00Z,ref-b,FT2,{customer},7 500,XOF,SUCCESSFUL,",
            f"2026-10-05T10:00:00Z,ref-c,FT3,{customer},2000,XOF,SUCCESSFUL,",
            f"2026-10-05T11:00:00Z,ref-d,FT4,{customer},3000,XOF,SUCCESSFUL,",
        ],
    )
    report = take_file(utility.settings, KINDS["mobile_money"], path)
    assert (report.status, report.loaded, report.quarantined) == ("partial", 3, 1)
    assert utility.rows("select line_number, reference_id from partner_statement_line order by line_number") == [
        (2, "ref-a"),
        (4, "ref-c"),
        (5, "ref-d"),
    ]
    assert utility.rows("select line_count, total from partner_statement") == [(3, 6000)]
    assert [line for (line,) in utility.rows("select line_number from intake_quarantine")] == [3]


def test_a_mobile_money_statement_keeps_its_good_lines_and_a_replay_completes_it(utility: Utility) -> None:
    _partner(utility, "MTN_MOMO")
    customer, _ = _customer_and_contract(utility)
    header = STATEMENT_HEADER
    path = write(
        utility.inbox("mobile_money") / "MTN_MOMO_2026-10-01.csv",
        [
            header,
            f"2026-10-01T10:15:00Z,ref-1,FT1,{customer},12000,XOF,SUCCESSFUL,221771234567",
            f"2026-10-01T11:00:00Z,ref-2,FT2,{customer},5000,XOF,FAILED,",
            f"2026-10-01T12:00:00Z,ref-3,FT3,{customer},500.5,XOF,SUCCESSFUL,",
            f"yesterday,ref-4,FT4,{customer},700,XOF,SUCCESSFUL,",
        ],
    )
    report = take_file(utility.settings, KINDS["mobile_money"], path)
    assert (report.loaded, report.quarantined) == (2, 2)
    assert utility.rows("select line_count, total from partner_statement") == [(2, 12000)]
    assert utility.rows("select line_number, reference_id from partner_statement_line order by line_number") == [
        (2, "ref-1"),
        (3, "ref-2"),
    ]
    held = dict(utility.rows("select line_number, id from intake_quarantine"))
    reasons = dict(utility.rows("select line_number, reason from intake_quarantine"))
    assert "transaction_date 'yesterday' is not a date and time" in reasons[5]
    # The partner confirms the amount of ref-3 was 500 and the date of ref-4: fixed, replayed, the day complete.
    from operational_api.intake import service

    engine_factory = session_factory(utility.engine)
    with unit_of_work(engine_factory) as session:
        service.fix_row(session=session, row_id=held[4], changes={"amount": "500"}, actor="comptable")
        service.fix_row(
            session=session, row_id=held[5], changes={"transaction_date": "2026-10-01T13:00:00Z"}, actor="comptable"
        )
    replay = replay_file(utility.settings, report.file_id, actor="comptable")
    assert (replay.loaded, replay.still_held) == (2, 0)
    assert utility.rows("select line_count, total from partner_statement") == [(4, 13200)]


def test_a_statement_with_its_header_alone_records_a_day_without_transactions(utility: Utility) -> None:
    from operational_api.mobile_money import service as mobile_money

    _partner(utility, "MTN_MOMO")
    header = STATEMENT_HEADER
    inbox = utility.inbox("mobile_money")
    first = take_file(utility.settings, KINDS["mobile_money"], write(inbox / "MTN_MOMO_2026-10-02.csv", [header]))
    # The same bytes the next quiet day: another partner's day, not a duplicate.
    second = take_file(utility.settings, KINDS["mobile_money"], write(inbox / "mtn_momo_2026-10-03.csv", [header]))
    assert (first.status, second.status) == ("loaded", "loaded")
    assert first.file_id != second.file_id
    assert utility.rows("select statement_date, line_count, total from partner_statement order by statement_date") == [
        ("2026-10-02", 0, 0),
        ("2026-10-03", 0, 0),
    ]
    with session_factory(utility.engine)() as session:
        day = mobile_money.reconcile(session=session, partner_code="MTN_MOMO", statement_date=dt.date(2026, 10, 2))
    assert (day.theirs, day.matched, day.missing_on_our_side) == ((0, 0), (0, 0), [])
    # The same file of the same day again is a duplicate, whatever case its name is written in.
    again = take_file(utility.settings, KINDS["mobile_money"], write(inbox / "MTN_MOMO_2026-10-03.csv", [header]))
    assert (again.status, again.file_id) == ("duplicate", second.file_id)
    # A file whose only line cannot be read is not an empty day: the line waits in quarantine, no statement yet.
    broken = take_file(
        utility.settings, KINDS["mobile_money"], write(inbox / "MTN_MOMO_2026-10-04.csv", [header, "2026-10-04,x"])
    )
    assert (broken.loaded, broken.quarantined) == (0, 1)
    assert utility.scalar("select count(*) from partner_statement") == 2


def test_a_statement_of_an_unknown_partner_or_badly_named_is_refused_whole(utility: Utility) -> None:
    header = "transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status"
    unknown = take_file(
        utility.settings,
        KINDS["mobile_money"],
        write(utility.inbox("mobile_money") / "NOBODY_2026-10-01.csv", [header]),
    )
    assert unknown.status == "rejected" and "NOBODY" in unknown.reason
    unnamed = take_file(
        utility.settings, KINDS["mobile_money"], write(utility.inbox("mobile_money") / "statement.csv", [header])
    )
    assert unnamed.status == "rejected" and "<PARTNER>_<YYYY-MM-DD>.csv" in unnamed.reason
    assert utility.scalar("select count(*) from partner_statement") == 0


def test_the_inbox_sensor_launches_one_run_per_settled_file(utility: Utility, monkeypatch) -> None:
    from orchestration.definitions import defs
    from orchestration.defs.intake.sensors import inbox_sensor
    from orchestration.resources import YeelenSettingsResource

    monkeypatch.setenv("YEELEN_INBOX_SETTLE_SECONDS", "0")
    (c1, m1, _), (c2, m2, _) = utility.meters_in_place(2)
    header = "contract_reference,meter_serial,reading_date,index_value,anomaly_code"
    write(utility.inbox("readings") / "R1.csv", [header, f"{c1},{m1},2026-10-21,44,", f"{c2},{m2},bad,1,"])
    write(utility.inbox("readings") / ".R2.csv.part", [header])  # still being copied: not taken
    definitions = defs()
    resources = {"yeelen": YeelenSettingsResource()}
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, resources=resources, definitions=definitions)
        result = inbox_sensor.evaluate_tick(context)
        assert len(result.run_requests) == 1
        request = result.run_requests[0]
        assert request.asset_selection == [dg.AssetKey(["intake", "readings"])]
        job = definitions.resolve_job_def("intake")
        run = job.execute_in_process(
            instance=instance, run_config=request.run_config, asset_selection=request.asset_selection
        )
        assert run.success
        [materialization] = run.asset_materializations_for_node("intake__readings")
        metadata = {key: value.value for key, value in materialization.metadata.items()}
        assert (metadata["status"], metadata["loaded"], metadata["quarantined"]) == ("partial", 1, 1)
        checks = {check.check_name: check for check in run.get_asset_check_evaluations()}
        assert checks["quarantine_seen"].passed, "a young quarantine is a warning, not a failure"
        assert checks["quarantine_seen"].metadata["rows"].value == 1
        # The file moved to done/: the next look finds nothing new.
        assert inbox_sensor.evaluate_tick(context).run_requests == []


def test_the_command_line_takes_and_lists_files_by_folder_or_kind_name(utility: Utility, capsys) -> None:
    from yeelen.cli import main

    customer, _ = _customer_and_contract(utility)
    path = write(
        utility.inbox("bank") / "cbao_2026-10-20.csv",
        ["bank;value_date;bank_reference;bill_reference;amount", f"CBAO;2026-10-20;VIR-0101;{customer};3000"],
    )
    # The kind's own name, as `intake list` prints it, is accepted beside the folder name.
    assert main(["intake", "take", str(path), "--kind", "bank_statement", "--keep"]) == 0
    capsys.readouterr()
    for name in ("bank", "bank_statement"):
        assert main(["intake", "list", "--kind", name]) == 0
        listed = capsys.readouterr().out
        assert "bank_statement" in listed and "cbao_2026-10-20.csv" in listed
    assert main(["intake", "list", "--kind", "prepaid"]) == 0
    assert "cbao_2026-10-20.csv" not in capsys.readouterr().out
    assert main(["intake", "list", "--kind", "banque"]) == 2
    assert "unknown kind of file 'banque'" in capsys.readouterr().err
    assert main(["intake", "take", str(path), "--kind", "banque"]) == 2
    error = capsys.readouterr().err
    assert "bank (bank_statement)" in error and "readings (readings)" in error
