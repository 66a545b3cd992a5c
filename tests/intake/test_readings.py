"""Readings from handheld terminals through the inbox: real files, taken once, row by row, replayed after a fix."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.intake.conftest import Utility, write
from yeelen.cli import main
from yeelen.intake import replay_file, take_file
from yeelen.intake.kinds import inbox_kinds

HEADER = "contract_reference,meter_serial,reading_date,index_value,anomaly_code"
READINGS = inbox_kinds()["readings"]


def _readings(utility: Utility, source: str = "terminal") -> int:
    return utility.scalar("select count(*) from reading where source = :source", source=source)


def test_a_good_file_is_loaded_whole_and_archived(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, _), (c3, m3, _) = utility.meters_in_place(3)
    before = _readings(utility)
    path = write(
        utility.inbox("readings") / "T01_2026-10.csv",
        [HEADER, f"{c1},{m1},2026-10-05,1234,", f"{c2},{m2},05/10/2026,,NO_ACCESS", f"{c3},{m3},2026-10-05,77,"],
    )
    report = take_file(utility.settings, READINGS, path)
    assert (report.status, report.rows_total, report.loaded, report.quarantined) == ("loaded", 3, 3, 0)
    assert _readings(utility) == before + 3
    assert not path.exists() and report.moved_to.parent.name == "done" and report.moved_to.exists()
    assert utility.rows(
        "select r.index_value, r.anomaly_code from reading r join contract c on c.id = r.contract_id"
        " where c.reference = :c and r.reading_date = '2026-10-05'",
        c=c2,
    ) == [(None, "NO_ACCESS")]
    assert utility.rows("select status, rows_loaded, stored_path from intake_file") == [
        ("loaded", 3, str(report.moved_to))
    ]


def test_bad_rows_are_quarantined_with_their_reasons_and_the_good_rows_loaded(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, digits), (c3, m3, _), (c4, m4, _) = utility.meters_in_place(4)
    before = _readings(utility)
    path = write(
        utility.inbox("readings") / "T02.csv",
        [
            HEADER,
            f"{c1},{m1},2026-10-06,1500,",  # 2: good
            f"NOPE,{m1},2026-10-06,1500,",  # 3: unknown contract
            f"{c2},{m2},2026-10-06,{10**digits},",  # 4: more digits than the meter
            f"{c3},{m3},2026-13-40,12x,",  # 5: bad date and bad index
            f"{c1},{m1},2026-10-06,1501,",  # 6: same meter and day as line 2
            f"{c4},{m1},2026-10-06,10,",  # 7: a meter of another contract
            f"{c4},{m4},2026-10-07,,",  # 8: neither index nor anomaly
            f"{c4},{m4}",  # 9: a line cut short
            f"{c3},{m3},2099-01-01,10,",  # 10: in the future
            f"{c4},{m4},2026-10-06,88,",  # 11: good
        ],
    )
    report = take_file(utility.settings, READINGS, path)
    assert (report.status, report.rows_total, report.loaded, report.quarantined) == ("partial", 10, 2, 8)
    assert _readings(utility) == before + 2
    reasons = dict(utility.rows("select line_number, reason from intake_quarantine order by line_number"))
    assert reasons[3] == "no contract NOPE"
    assert f"does not fit the {digits} digits of meter {m2}" in reasons[4]
    assert "reading_date '2026-13-40' is not a date" in reasons[5] and "'12x' is not a whole number" in reasons[5]
    assert reasons[6] == "same meter, date and source as line 2"
    assert reasons[7] == f"meter {m1} is not installed on contract {c4} on 2026-10-06"
    assert reasons[8] == "neither index_value nor anomaly_code"
    assert reasons[9] == "the line has 2 field(s), the header has 5"
    assert "is in the future" in reasons[10]
    content = json.loads(utility.scalar("select content from intake_quarantine where line_number = 3"))
    assert content == {
        "contract_reference": "NOPE",
        "meter_serial": m1,
        "reading_date": "2026-10-06",
        "index_value": "1500",
        "anomaly_code": "",
    }
    assert utility.rows("select status, rows_total, rows_loaded, rows_quarantined from intake_file") == [
        ("partial", 10, 2, 8)
    ]


def test_the_same_file_dropped_twice_is_taken_once(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, _) = utility.meters_in_place(2)
    lines = [HEADER, f"{c1},{m1},2026-10-07,2000,", f"{c2},{m2},2026-10-07,3000,"]
    before = _readings(utility)
    first = take_file(utility.settings, READINGS, write(utility.inbox("readings") / "T03.csv", lines))
    # The partner sends the same file again, under another name.
    second = take_file(utility.settings, READINGS, write(utility.inbox("readings") / "T03 (copy).csv", lines))
    assert first.status == "loaded" and second.status == "duplicate" and second.file_id == first.file_id
    assert _readings(utility) == before + 2
    assert utility.scalar("select count(*) from intake_file") == 1
    assert second.moved_to.parent.name == "duplicates" and second.moved_to.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("T04.csv", b"\xff\xfe\x00b\x00a\x00d\n\x80\x81", "not UTF-8"),
        ("T05.csv", b"contract,meter,day\nA,B,C\n", "the header lacks the column(s) contract_reference"),
        ("T06.json", b'{"readings": [{"contract_reference": ', "not valid JSON"),
        ("T07.csv", b"", "is empty"),
        ("T08.xlsx", b"PK\x03\x04", "neither CSV (.csv) nor JSON (.json)"),
    ],
)
def test_an_unreadable_file_is_moved_aside_with_its_reason(utility: Utility, name, content, reason) -> None:
    before = _readings(utility)
    path = utility.inbox("readings") / name
    path.write_bytes(content)
    report = take_file(utility.settings, READINGS, path)
    assert report.status == "rejected" and reason in report.reason
    assert not path.exists() and report.moved_to.parent.name == "rejected"
    assert report.moved_to.read_bytes() == content, "the file is kept as received"
    assert reason in report.moved_to.with_name(report.moved_to.name + ".reason.txt").read_text(encoding="utf-8")
    assert utility.rows("select status, file_name from intake_file") == [("rejected", name)]
    assert utility.scalar("select reason from intake_file").startswith(report.reason[:40])
    assert _readings(utility) == before


def test_a_replay_after_a_fix_loads_the_fixed_rows(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, _), (c3, m3, _) = utility.meters_in_place(3)
    path = write(
        utility.inbox("readings") / "T09.csv",
        [HEADER, f"{c1},{m1},2026-10-08,4000,", f"{c2},WRONG-SERIAL,2026-10-08,5000,", f"{c3},{m3},2026-10-08,,"],
    )
    report = take_file(utility.settings, READINGS, path)
    assert (report.loaded, report.quarantined) == (1, 2)
    rows = dict(utility.rows("select line_number, id from intake_quarantine"))
    # The reader's office checks the meter on site and corrects the serial; the second row was a meter not read.
    assert main(["intake", "fix", str(rows[3]), "--set", f"meter_serial={m2}", "--by", "chef.releve"]) == 0
    assert main(["intake", "discard", str(rows[4]), "--reason", "compteur non relevé", "--by", "chef.releve"]) == 0
    assert main(["intake", "replay", str(report.file_id), "--by", "chef.releve"]) == 0
    assert utility.rows(
        "select r.index_value from reading r join contract c on c.id = r.contract_id"
        " where c.reference = :c and r.reading_date = '2026-10-08'",
        c=c2,
    ) == [(5000,)]
    assert utility.rows("select line_number, status, resolved_by from intake_quarantine order by line_number") == [
        (3, "loaded", "chef.releve"),
        (4, "discarded", "chef.releve"),
    ]
    original = json.loads(utility.scalar("select original_content from intake_quarantine where line_number = 3"))
    assert original["meter_serial"] == "WRONG-SERIAL", "what the partner sent is kept"
    assert utility.rows("select status, rows_loaded, rows_quarantined, rows_skipped from intake_file") == [
        ("loaded", 2, 0, 1)
    ]
    # A second replay finds nothing left to do, and loads nothing twice.
    again = replay_file(utility.settings, report.file_id)
    assert (again.rows, again.loaded) == (0, 0)
    assert utility.scalar("select count(*) from reading where reading_date = '2026-10-08'") == 2


def test_a_replay_keeps_rows_that_are_still_wrong_with_their_new_reason(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, _) = utility.meters_in_place(2)
    path = write(
        utility.inbox("readings") / "T10.csv", [HEADER, f"{c1},{m1},2026-10-09,10,", f"{c2},XX,2026-10-09,20,"]
    )
    report = take_file(utility.settings, READINGS, path)
    row_id = utility.scalar("select id from intake_quarantine")
    assert main(["intake", "fix", str(row_id), "--set", "meter_serial=STILL-WRONG", "--by", "chef"]) == 0
    replay = replay_file(utility.settings, report.file_id)
    assert (replay.loaded, replay.still_held) == (0, 1)
    assert utility.rows("select status, reason, attempts from intake_quarantine") == [
        ("open", "no meter STILL-WRONG", 2)
    ]


def test_a_json_file_is_read_like_a_csv_file(utility: Utility) -> None:
    (c1, m1, _), (c2, m2, _) = utility.meters_in_place(2)
    path = utility.inbox("readings") / "T11.json"
    path.write_text(
        json.dumps(
            {
                "round": "PLT-E001",
                "readings": [
                    {"contract_reference": c1, "meter_serial": m1, "reading_date": "2026-10-10", "index_value": 321},
                    {"contract_reference": c2, "meter_serial": m2, "reading_date": "2026-10-10", "index_value": "x"},
                    "not a record",
                ],
            }
        ),
        encoding="utf-8",
    )
    report = take_file(utility.settings, READINGS, path)
    assert (report.rows_total, report.loaded, report.quarantined) == (3, 1, 2)
    assert dict(utility.rows("select line_number, reason from intake_quarantine")) == {
        2: "index_value 'x' is not a whole number",
        3: "the record is not an object",
    }


def test_a_round_sheet_goes_out_and_comes_back_answered(utility: Utility, tmp_path) -> None:
    round_code = utility.scalar(
        "select r.code from reading_round r join contract c on c.reading_round_id = r.id"
        " where c.payment_mode = 'postpaid' group by r.code order by count(*) desc limit 1"
    )
    sheet = tmp_path / "sheet.csv"
    assert main(["rounds", "export", "--round", round_code, "--month", "2026-10", "--output", str(sheet)]) == 0
    lines = sheet.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[-3:] == ["reading_date", "index_value", "anomaly_code"] and len(lines) > 3
    rows = [line.split(",") for line in lines[1:]]
    position = {name: index for index, name in enumerate(header)}
    # The terminal answers two meters (an index, an anomaly) and leaves the others blank (not visited yet).
    for row, answer in zip(rows[:2], (("2026-10-12", "999", ""), ("2026-10-12", "", "NO_ACCESS")), strict=True):
        row[position["reading_date"]], row[position["index_value"]], row[position["anomaly_code"]] = answer
    # Addresses hold commas: the sheet quotes them; rebuild the answered file with the csv module.
    import csv

    with sheet.open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    records[0].update(reading_date="2026-10-12", index_value="999")
    records[1].update(reading_date="2026-10-12", anomaly_code="NO_ACCESS")
    answer = utility.inbox("readings") / f"{round_code}_2026-10.csv"
    with answer.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(records)
    report = take_file(utility.settings, READINGS, answer)
    assert (report.loaded, report.quarantined, report.skipped) == (2, 0, len(records) - 2)
    assert report.metadata["not_visited"] == len(records) - 2


@pytest.mark.postgres
def test_readings_load_into_postgresql_in_bulk(yeelen_home, postgres_database, tmp_path) -> None:
    from operational_api.db import make_engine
    from yeelen.demo import generate
    from yeelen.settings import load_settings

    settings = load_settings(operational_url=postgres_database)
    settings.ensure_home()
    generate(postgres_database, customers=120, months=2, seed=8, end_month="2026-09", demo_dir=settings.demo_dir)
    utility = Utility(settings, make_engine(postgres_database))
    try:
        (c1, m1, _), (c2, m2, _) = utility.meters_in_place(2)
        path = write(
            tmp_path / "T12.csv", [HEADER, f"{c1},{m1},2026-10-11,55,", f"{c2},{m2},2026-10-11,,LEAK", "x,y,z,,"]
        )
        report = take_file(settings, READINGS, path, move=False)
        assert (report.loaded, report.quarantined) == (2, 1)
        assert utility.rows(
            "select index_value, anomaly_code, source from reading where reading_date = '2026-10-11' order by id"
        ) == [(55, None, "terminal"), (None, "LEAK", "terminal")]
        created = utility.scalar("select min(created_at) from reading where reading_date = '2026-10-11'")
        assert created is not None
    finally:
        utility.engine.dispose()
    shutil.rmtree(tmp_path, ignore_errors=True)
