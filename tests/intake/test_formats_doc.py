"""The examples of ``docs/formats.md`` are accepted as shown, by the utility of ``docs/examples/import/``.

Each example block is preceded by a marker naming where the file goes: ``<!-- example: bank/CBAO_2026-09-15.csv -->``
for a file of the inbox (its folder and name), ``<!-- example: import/contracts.csv -->`` for a file of a data
migration, ``<!-- sheet: PKN-E01 2026-09 -->`` for the sheet ``yeelen rounds export`` writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from operational_api.auth import service as auth
from operational_api.auth.principal import Principal
from operational_api.auth.rights import Role
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.migrate import upgrade
from yeelen.intake import take_file
from yeelen.intake.kinds import inbox_kinds
from yeelen.intake.sheets import round_sheet, write_sheet
from yeelen.launcher import load_tariffs
from yeelen.migration.importer import import_folder

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
EXAMPLE_FOLDER = ROOT / "docs" / "examples" / "import"
BLOCK = re.compile(r"<!-- (example|sheet): (\S+)(?: (\S+))? -->\n```(csv|json)\n(.*?)```", re.S)


def _blocks(marker: str) -> list[tuple[str, str | None, str, str]]:
    return [
        (target, extra, language, body) for kind, target, extra, language, body in BLOCK.findall(DOC) if kind == marker
    ]


def _rows_in(language: str, body: str) -> int:
    if language == "json":
        return len(json.loads(body))
    return sum(1 for line in body.splitlines()[1:] if line.strip())


def _partner(settings, code: str) -> None:
    engine = make_engine(str(settings.operational_url))
    try:
        with unit_of_work(session_factory(engine)) as session:
            principal = Principal(kind="system", id=0, login="test", role=Role.ADMIN, agency_ids=None)
            auth.create_partner(session=session, principal=principal, code=code, name=code)
    finally:
        engine.dispose()


def test_every_example_of_the_formats_doc_is_accepted_whole(settings, tmp_path) -> None:
    inbox = [(target.split("/", 1), language, body) for target, _, language, body in _blocks("example")]
    imports = [(name, body) for (folder, name), _, body in inbox if folder == "import"]
    partner_files = [(folder, name, language, body) for (folder, name), language, body in inbox if folder != "import"]
    kinds = inbox_kinds()
    # Every CSV or JSON block is marked (so none escapes this test) and every kind of the inbox has an example.
    assert len(re.findall(r"^```(?:csv|json)$", DOC, flags=re.M)) == len(BLOCK.findall(DOC))
    assert {folder for folder, *_ in partner_files} == set(kinds)
    assert imports

    upgrade(str(settings.operational_url))
    load_tariffs(settings, lambda message: None)
    base = import_folder(settings, EXAMPLE_FOLDER)
    assert (base.quarantined, base.rejected) == (0, [])

    # The migration files the doc adds (a prepaid contract for the prepaid example), taken as a later import.
    folder = tmp_path / "import"
    folder.mkdir()
    for name, body in imports:
        (folder / name).write_text(body, encoding="utf-8")
    added = import_folder(settings, folder)
    assert (added.quarantined, added.rejected) == (0, [])
    assert added.loaded == sum(_rows_in("csv", body) for _, body in imports)

    # The reading sheet shown is what `yeelen rounds export` writes.
    [(round_code, month, _, sheet)] = _blocks("sheet")
    written = write_sheet(
        tmp_path / "sheet.csv", round_sheet(settings, round_code, dt.date.fromisoformat(f"{month}-01"))
    )
    assert written.read_text(encoding="utf-8") == sheet

    partners = {name.rsplit("_", 1)[0] for folder, name, *_ in partner_files if folder == "mobile_money"}
    for code in sorted(partners):
        _partner(settings, code)
    for folder, name, language, body in partner_files:
        path = Path(settings.inbox) / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        report = take_file(settings, kinds[folder], path)
        assert (report.status, report.quarantined) == ("loaded", 0), (report.summary(), report.reason)
        assert report.rows_total == _rows_in(language, body), report.summary()
        assert report.loaded > 0 and report.loaded + report.skipped == report.rows_total, report.summary()
