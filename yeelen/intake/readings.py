"""Readings from handheld terminals (*relevés des terminaux de saisie*), validated in bulk with DuckDB.

A round's sheet (``yeelen rounds export``) goes to the terminal; its answer comes back as a file with one row per
meter visited: the index read, or an anomaly code when the meter could not be read. Every row is checked against
the operational database at once (contract, meter, installation on that date, digits of the meter, readings
already recorded) and the good rows are inserted in bulk, so a file of a million rows takes seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from operational_api.intake.service import bulk_insert, stamp
from operational_api.metering.models import Reading
from yeelen.intake.kind import LoadContext, LoadResult, held_from
from yeelen.intake.lookups import memory_database, read_for_codes
from yeelen.settings import Settings

SOURCES = ("terminal", "manual", "estimate")

VALIDATE = """
with parsed as (
    select
        f.line,
        f.contract_reference as contract_text,
        f.meter_serial as meter_text,
        f.reading_date as date_text,
        f.index_value as index_text,
        nullif(f.anomaly_code, '') as anomaly_code,
        {source_expression} as source,
        {source_text} as source_text,
        cast(coalesce(try_strptime(f.reading_date, '%Y-%m-%d'), try_strptime(f.reading_date, '%d/%m/%Y')) as date)
            as reading_date,
        case when regexp_full_match(f.index_value, '[0-9]{{1,18}}') then cast(f.index_value as bigint) end
            as index_value
    from rows as f
),

joined as (
    select
        parsed.*,
        contracts.id as contract_id,
        cast(nullif(contracts.start_date, '') as date) as contract_start,
        cast(nullif(contracts.end_date, '') as date) as contract_end,
        meters.id as meter_id,
        meters.digits
    from parsed
    left join contracts on contracts.reference = parsed.contract_text
    left join meters on meters.serial = parsed.meter_text
),

installed as (
    select distinct joined.line
    from joined
    inner join installations
        on installations.meter_id = joined.meter_id
        and installations.contract_id = joined.contract_id
        and cast(installations.installed_on as date) <= joined.reading_date
        and (coalesce(installations.removed_on, '') = ''
            or cast(installations.removed_on as date) >= joined.reading_date)
),

ranked as (
    select
        joined.*,
        case when contract_id is not null and meter_id is not null and reading_date is not null then
            first_value(line) over (partition by contract_id, meter_id, reading_date, source order by line)
        end as first_line
    from joined
),

existing as (
    select distinct contract_id, meter_id, cast(reading_date as date) as reading_date, source from existing_readings
)

select
    ranked.line,
    ranked.contract_id,
    ranked.meter_id,
    ranked.reading_date,
    ranked.index_value,
    ranked.source,
    ranked.anomaly_code,
    nullif(concat_ws('; ',
        case when contract_text = '' then 'contract_reference is empty' end,
        case when contract_text <> '' and ranked.contract_id is null then 'no contract ' || contract_text end,
        case when meter_text = '' then 'meter_serial is empty' end,
        case when meter_text <> '' and ranked.meter_id is null then 'no meter ' || meter_text end,
        case when date_text = '' then 'reading_date is empty' end,
        case when date_text <> '' and ranked.reading_date is null then
            'reading_date ''' || date_text || ''' is not a date (YYYY-MM-DD or DD/MM/YYYY)' end,
        case when ranked.reading_date > date '{today}' then
            'reading_date ' || strftime(ranked.reading_date, '%Y-%m-%d') || ' is in the future' end,
        case when ranked.contract_id is not null and ranked.reading_date < contract_start then
            'contract ' || contract_text || ' starts on ' || strftime(contract_start, '%Y-%m-%d') end,
        case when ranked.contract_id is not null and ranked.reading_date > contract_end then
            'contract ' || contract_text || ' ended on ' || strftime(contract_end, '%Y-%m-%d') end,
        case when ranked.contract_id is not null and ranked.meter_id is not null and ranked.reading_date is not null
            and installed.line is null then
            'meter ' || meter_text || ' is not installed on contract ' || contract_text || ' on '
            || strftime(ranked.reading_date, '%Y-%m-%d') end,
        case when index_text <> '' and ranked.index_value is null then
            'index_value ''' || index_text || ''' is not a whole number' end,
        case when ranked.index_value is not null and ranked.digits is not null
            and ranked.index_value >= power(10, ranked.digits) then
            'index_value ' || index_text || ' does not fit the ' || ranked.digits || ' digits of meter ' || meter_text
            end,
        case when index_text = '' and ranked.anomaly_code is null then 'neither index_value nor anomaly_code' end,
        case when ranked.anomaly_code is not null
            and not regexp_full_match(ranked.anomaly_code, '[A-Z][A-Z0-9_]{{1,19}}') then
            'anomaly_code ''' || ranked.anomaly_code || ''' is not a code (capitals, digits and _, 2 to 20)' end,
        case when ranked.source is null then
            'source ''' || source_text || ''' is not terminal, manual or estimate' end,
        case when ranked.first_line is not null and ranked.first_line <> ranked.line then
            'same meter, date and source as line ' || ranked.first_line end,
        case when existing.contract_id is not null and not {existing_skipped} then
            'meter ' || meter_text || ' already has a reading (' || ranked.source || ') on '
            || strftime(ranked.reading_date, '%Y-%m-%d') end
    ), '') as reason,
    existing.contract_id is not null as already_recorded
from ranked
left join installed on ranked.line = installed.line
left join existing
    on existing.contract_id = ranked.contract_id
    and existing.meter_id = ranked.meter_id
    and existing.reading_date = ranked.reading_date
    and existing.source = ranked.source
order by ranked.line
"""


@dataclass(frozen=True)
class ReadingsKind:
    """Readings of customer meters: from terminals (source ``terminal``) or a migration file (a ``source`` column)."""

    name: str = "readings"
    label: str = "Readings from handheld terminals"
    with_source: bool = False
    # A data migration imported again finds its readings recorded: they are skipped, not held.
    existing_skipped: bool = False
    required: tuple[str, ...] = ("contract_reference", "meter_serial", "reading_date")

    @property
    def optional(self) -> tuple[str, ...]:
        return ("index_value", "anomaly_code", "source") if self.with_source else ("index_value", "anomaly_code")

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        return {}

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        result = LoadResult()
        for name in ("index_value", "anomaly_code", "source"):
            if name not in rows.column_names:
                rows = rows.append_column(name, pa.array([""] * rows.num_rows, pa.string()))
        # A sheet line the reader left blank (no date, no index, no anomaly) is a meter not visited: not a row.
        unanswered = pc.and_(
            pc.and_(pc.equal(rows["reading_date"], ""), pc.equal(rows["index_value"], "")),
            pc.equal(rows["anomaly_code"], ""),
        )
        result.skipped = int(pc.sum(unanswered).as_py() or 0)
        rows = rows.filter(pc.invert(unanswered))
        if rows.num_rows == 0:
            return result
        validated = validate_readings(context.settings, context.session, rows, self.with_source, self.existing_skipped)
        result.held = held_from(validated)
        ok = pc.is_null(validated["reason"])
        already = pc.and_(ok, validated["already_recorded"])
        result.skipped += int(pc.sum(already).as_py() or 0)
        result.present = set(validated.filter(already)["line"].to_pylist())
        good = validated.filter(pc.and_(ok, pc.invert(already))).select(
            ["contract_id", "meter_id", "reading_date", "index_value", "source", "anomaly_code"]
        )
        result.loaded = bulk_insert(session=context.session, table=Reading.__table__, rows=stamp(good))
        result.metadata = {"readings": result.loaded, "not_visited": result.skipped}
        return result


def _dates(connection) -> tuple[str | None, str | None]:
    [(low, high)] = connection.execute(
        "select min(d), max(d) from (select cast(coalesce(try_strptime(reading_date, '%Y-%m-%d'),"
        " try_strptime(reading_date, '%d/%m/%Y')) as date) as d from rows)"
    ).fetchall()
    return (low.isoformat() if low else None, high.isoformat() if high else None)


TEXT, NUMBER = pa.string(), pa.int64()
INSTALLED = {
    "contract_id": ("c.id", NUMBER),
    "reference": ("c.reference", TEXT),
    "start_date": ("c.start_date", TEXT),
    "end_date": ("c.end_date", TEXT),
    "meter_id": ("m.id", NUMBER),
    "serial": ("m.serial", TEXT),
    "digits": ("m.digits", NUMBER),
    "installed_on": ("i.installed_on", TEXT),
    "removed_on": ("i.removed_on", TEXT),
}
CONTRACTS = {
    "id": ("id", NUMBER),
    "reference": ("reference", TEXT),
    "start_date": ("start_date", TEXT),
    "end_date": ("end_date", TEXT),
}
METERS = {"id": ("id", NUMBER), "serial": ("serial", TEXT), "digits": ("digits", NUMBER)}
EXISTING = {
    "contract_id": ("contract_id", NUMBER),
    "meter_id": ("meter_id", NUMBER),
    "reading_date": ("reading_date", TEXT),
    "source": ("source", TEXT),
}


def _codes(connection, sql: str) -> list[str]:
    return [row[0] for row in connection.execute(sql).fetchall()]


def validate_readings(
    settings: Settings, session: Session, rows: pa.Table, with_source: bool = False, existing_skipped: bool = False
) -> pa.Table:
    """Every row with its typed values and the reasons it cannot be loaded (null when it can).

    What the file names is read from the database once: the meters installed on its contracts (one query), then
    the contracts and meters it names that have no such installation (to say why), and the readings already
    recorded over its dates.
    """
    connection = memory_database()
    try:
        connection.register("rows", rows)
        low, high = _dates(connection)
        references = _codes(connection, "select distinct contract_reference from rows where contract_reference <> ''")
        installed = read_for_codes(
            settings,
            session,
            INSTALLED,
            "from meter_installation i join contract c on c.id = i.contract_id join meter m on m.id = i.meter_id",
            "c.reference",
            references,
        )
        connection.register("installed", installed)
        extra_contracts = read_for_codes(
            settings,
            session,
            CONTRACTS,
            "from contract",
            "reference",
            _codes(
                connection,
                "select distinct contract_reference from rows where contract_reference <> ''"
                " and contract_reference not in (select reference from installed)",
            ),
        )
        extra_meters = read_for_codes(
            settings,
            session,
            METERS,
            "from meter",
            "serial",
            _codes(
                connection,
                "select distinct meter_serial from rows where meter_serial <> ''"
                " and meter_serial not in (select serial from installed)",
            ),
        )
        connection.register("extra_contracts", extra_contracts)
        connection.register("extra_meters", extra_meters)
        connection.execute(
            "create temp table contracts as select distinct contract_id as id, reference, start_date, end_date"
            " from installed union select id, reference, start_date, end_date from extra_contracts"
        )
        connection.execute(
            "create temp table meters as select distinct meter_id as id, serial, digits from installed"
            " union select id, serial, digits from extra_meters"
        )
        connection.execute(
            "create temp table installations as select meter_id, contract_id, installed_on, removed_on from installed"
        )
        if low is None:
            existing = pa.table({name: pa.array([], kind) for name, (_, kind) in EXISTING.items()})
        else:
            contract_ids = [str(value) for value in _codes(connection, "select id from contracts")]
            existing = read_for_codes(
                settings,
                session,
                EXISTING,
                f"from reading where reading_date >= '{low}' and reading_date <= '{high}'",
                "contract_id",
                contract_ids,
            )
        connection.register("existing_readings", existing)
        today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        if with_source:
            source = (
                "case when f.source = '' then 'terminal'"
                " when f.source in ('terminal', 'manual', 'estimate') then f.source end"
            )
            source_text = "f.source"
        else:
            source, source_text = "'terminal'", "''"
        sql = VALIDATE.format(
            today=today.isoformat(),
            source_expression=source,
            source_text=source_text,
            existing_skipped=str(existing_skipped).lower(),
        )
        return connection.sql(sql).to_arrow_table()
    finally:
        connection.close()
