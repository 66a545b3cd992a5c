"""The SQL Server warehouse, at the edge this machine allows: what reaches the DB-API connection.

No SQL Server can run here, so a recording stand-in for pyodbc takes the connection's place (the one mock, at the
boundary); everything before it is real: the operational database, the run, the shared SQL, the Arrow streams.
Every statement sent must parse as T-SQL (sqlglot) and use none of the other engines' phrases.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest
import sqlglot
from sqlalchemy.engine import make_url
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from ingestion import ingestion_status, run_ingestion
from ingestion.destinations import open_destination, sqlserver
from ingestion.destinations.sqlserver import SqlServerDestination, connection_string
from ingestion.schema import raw_tables
from tests.ingestion.conftest import Stores, make_stores
from tests.ingestion.operational_data import source_counts
from yeelen.cli import main
from yeelen.errors import ConfigurationError, InputRejectedError, StoreUnavailableError
from yeelen.settings import Settings, load_settings, reset_settings_cache

URL = "mssql+pyodbc://yeelen:s3cret@db.example:1433/yeelen_warehouse"


# -- a recording stand-in for pyodbc -----------------------------------------------------------------------------
class FakeError(Exception):
    """Like pyodbc.Error: the arguments are (SQLSTATE, message)."""


class FakeDataError(FakeError):
    pass


class FakeProgrammingError(FakeError):
    pass


class FakeOperationalError(FakeError):
    pass


class FakeInterfaceError(FakeError):
    pass


def odbc_error(kind: type[FakeError], sqlstate: str, message: str, code: int) -> FakeError:
    """An error as Microsoft's ODBC driver words it through pyodbc."""
    prefix = f"[{sqlstate}] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]"
    return kind(sqlstate, f"{prefix}{message} ({code}) (SQLExecDirectW)")


@dataclass
class Sent:
    """One call that reached the connection."""

    call: str  # execute, executemany, commit, rollback, close
    sql: str = ""
    parameters: tuple = ()
    rows: list[tuple] = field(default_factory=list)
    fast: bool = False
    sizes: list | None = None  # the input sizes set before an executemany


class FakeServer:
    """Stands for the pyodbc module and the SQL Server behind it: records every call, answers the few reads.

    Rows staged in a ``#`` table move to the raw table named by the INSERT ... SELECT that reads the stage, so the
    row counts and ``max(updated_at)`` it answers follow from what was sent.
    """

    Error = FakeError
    DataError = FakeDataError
    ProgrammingError = FakeProgrammingError

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.connections: list[tuple[str, bool, int]] = []
        self.columns: list[tuple[str, str]] = []
        self.tables: list[tuple[str]] = []
        self.watermarks: list[tuple[str, dt.datetime]] = []
        self.answers: dict[str, list[tuple]] = {}
        self.lock_outcome = 0
        self.refuse_connection: FakeError | None = None
        self.fail = lambda sent: None
        self.staged: dict[str, list[tuple]] = {}
        self.stage_columns: dict[str, list[str]] = {}
        self.held: dict[str, list] = {}

    def drivers(self) -> list[str]:
        return ["ODBC Driver 17 for SQL Server", "PostgreSQL Unicode"]

    def connect(self, connection_string: str, autocommit: bool = True, timeout: int = 0) -> FakeConnection:
        self.connections.append((connection_string, autocommit, timeout))
        if self.refuse_connection is not None:
            raise self.refuse_connection
        return FakeConnection(self)

    def results(self, sql: str) -> tuple[list, int]:
        """The result sets (None for a row count only) and the row count of a statement."""
        if "sp_getapplock" in sql:
            # The variable assignment reports a row count before the SELECT's result.
            return [None, [(self.lock_outcome,)]], -1
        if "INFORMATION_SCHEMA.COLUMNS" in sql:
            return [self.columns], -1
        if "INFORMATION_SCHEMA.TABLES" in sql:
            return [self.tables], -1
        if sql.startswith('SELECT table_name, watermark FROM "raw"."_ingest_watermarks"'):
            return [self.watermarks], -1
        if found := re.match(r'SELECT max\("updated_at"\) FROM "raw"\."(\w+)"', sql):
            values = [as_datetime(value) for value in self.held.get(found.group(1), [])]
            return [[(max(values) if values else None,)]], -1
        if found := re.match(r'INSERT INTO "raw"\."(\w+)" .* FROM (#\w+) AS stage', sql):
            rows = self.staged.pop(found.group(2), [])
            position = self.stage_columns[found.group(2)].index("updated_at")
            self.held.setdefault(found.group(1), []).extend(row[position] for row in rows)
            return [None], len(rows)
        for start, rows in self.answers.items():
            if sql.startswith(start):
                return [rows], -1
        return [None], -1

    # What a test reads back.
    def statements(self) -> list[Sent]:
        return [sent for sent in self.sent if sent.call in ("execute", "executemany")]

    def calls(self) -> list[str]:
        return [sent.call for sent in self.sent]


def as_datetime(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


class FakeConnection:
    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def cursor(self) -> FakeCursor:
        return FakeCursor(self.server)

    def commit(self) -> None:
        self.server.sent.append(Sent("commit"))

    def rollback(self) -> None:
        self.server.sent.append(Sent("rollback"))

    def close(self) -> None:
        self.server.sent.append(Sent("close"))


class FakeCursor:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.fast_executemany = False
        self.rowcount = -1
        self._results: list = []
        self._sizes: list | None = None

    def setinputsizes(self, sizes: list) -> None:
        self._sizes = list(sizes)

    def _send(self, sent: Sent) -> None:
        self.server.sent.append(sent)
        problem = self.server.fail(sent)
        if problem is not None:
            raise problem

    def execute(self, sql: str, *parameters) -> FakeCursor:
        self._send(Sent("execute", sql, tuple(parameters)))
        if found := re.match(r"CREATE TABLE (#\w+) \((.*)\)$", sql):
            self.server.stage_columns[found.group(1)] = re.findall(r'"(\w+)" ', found.group(2))
        self._results, self.rowcount = self.server.results(sql)
        return self

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        self._send(Sent("executemany", sql, rows=rows, fast=self.fast_executemany, sizes=self._sizes))
        stage = re.match(r"INSERT INTO (#\w+) ", sql).group(1)
        self.server.staged.setdefault(stage, []).extend(rows)

    @property
    def description(self):
        return [("value",)] if self._results and self._results[0] is not None else None

    def nextset(self) -> bool:
        self._results = self._results[1:]
        return bool(self._results)

    def fetchall(self) -> list[tuple]:
        return list(self._results[0])

    def close(self) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """The stand-in for pyodbc that a SQL Server destination opened by the settings connects through."""
    fake = FakeServer()
    monkeypatch.setattr(sqlserver, "import_pyodbc", lambda: fake)
    return fake


def sqlserver_settings(stores: Stores, url: str = URL) -> Settings:
    """The stores' operational database, with a SQL Server warehouse."""
    return load_settings(
        # The ODBC driver and certificate settings come from the environment, as in a deployment.
        **stores.settings.model_dump(
            exclude={"warehouse_engine", "warehouse_url", "warehouse_odbc_driver", "warehouse_trust_cert"}
        ),
        warehouse_engine="sqlserver",
        warehouse_url=url,
    )


# -- reading what was sent ---------------------------------------------------------------------------------------
def label(sent: Sent) -> str:
    """A short name for each call, to compare the order of a run with the expected one."""
    if sent.call in ("commit", "rollback", "close"):
        return sent.call
    if sent.call == "executemany":
        return "stage rows"
    sql = sent.sql
    patterns = [
        (r"DECLARE @outcome INT; .*sp_getapplock", "lock"),
        (r"IF SCHEMA_ID\(N'raw'\) IS NULL EXEC\(N'CREATE SCHEMA \"raw\"'\)$", "schema"),
        (r"IF OBJECT_ID\(N'\[raw\]\.\[(\w+)\]', N'U'\) IS NULL CREATE TABLE \"raw\"\.\"\1\" \(", "ensure {}"),
        (r"SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA\.COLUMNS WHERE TABLE_SCHEMA = \?$", "columns"),
        (r'CREATE TABLE "raw"\."(\w+)" \(', "create {}"),
        (r'CREATE INDEX "ix_raw_(\w+)_updated_at" ON "raw"\."\1" \("updated_at"\)$', "index {}"),
        (r'ALTER TABLE "raw"\."(\w+)" ADD "(\w+)" ', "add {}.{}"),
        (r'SELECT table_name, watermark FROM "raw"\."_ingest_watermarks"$', "watermarks"),
        (r"CREATE TABLE #ingest_stage_[0-9a-f]{8} \(", "stage"),
        (r'INSERT INTO "raw"\."(\w+)" \(.* FROM #ingest_stage_[0-9a-f]{8} AS stage\)', "insert {}"),
        (r"DROP TABLE #ingest_stage_[0-9a-f]{8}$", "drop stage"),
        (r'SELECT max\("updated_at"\) FROM "raw"\."(\w+)"', "max {}"),
        (r'INSERT INTO "raw"\."_ingest_batches" VALUES \(\?, \?, \?, \?, \?\)$', "record batch"),
    ]
    for pattern, name in patterns:
        if found := re.match(pattern, sql):
            return name.format(*found.groups())
    bookkeeping = {
        'INSERT INTO "raw"."_ingest_loads" VALUES (?, ?, ?, ?, ?, ?, ?)': ("record load {}", 1),
        'DELETE FROM "raw"."_ingest_watermarks" WHERE table_name = ?': ("forget watermark {}", 0),
        'INSERT INTO "raw"."_ingest_watermarks" VALUES (?, ?, ?, ?)': ("record watermark {}", 0),
    }
    if sql in bookkeeping:
        name, position = bookkeeping[sql]
        return name.format(sent.parameters[position])
    raise AssertionError(f"unexpected statement: {sql}")


# Phrases of DuckDB and PostgreSQL that T-SQL does not have or reads otherwise (TIMESTAMP is a row version there).
NOT_TSQL = [
    r"\$\d",
    r"\bIF NOT EXISTS\b",
    r"\bLIMIT\b",
    r"\bADD COLUMN\b",
    r"\bRETURNING\b",
    r"\bTIMESTAMP\b",
    r"\bBOOLEAN\b",
    r"\bDOUBLE\b",
    r"\bVARCHAR\b",
    r"::",
    r"information_schema",
]


def assert_tsql(statements: list[Sent]) -> None:
    """Every statement parses as T-SQL, uses no other engine's phrase, and has one value per ``?``."""
    assert statements
    for sent in statements:
        parsed = sqlglot.parse(sent.sql, read="tsql", error_level=ErrorLevel.RAISE)
        assert parsed and all(tree is not None for tree in parsed), sent.sql
        fallbacks = [node for tree in parsed for node in tree.walk() if isinstance(node, exp.Command)]
        assert not fallbacks, f"not parsed, only passed through: {sent.sql}"
        for phrase in NOT_TSQL:
            assert not re.search(phrase, sent.sql), f"{phrase} in {sent.sql}"
        markers = sent.sql.count("?")
        if sent.call == "executemany":
            assert sent.rows and all(len(row) == markers for row in sent.rows), sent.sql
        else:
            assert len(sent.parameters) == markers, sent.sql


def stage_of(server: FakeServer) -> dict[str, list[Sent]]:
    """Per raw table, the rows sent to its staging table (one executemany per record batch)."""
    targets = {}
    for sent in server.statements():
        if found := re.match(r'INSERT INTO "raw"\."(\w+)" .* FROM (#\w+) AS stage', sent.sql):
            targets[found.group(2)] = found.group(1)
    staged: dict[str, list[Sent]] = {}
    for sent in server.statements():
        if sent.call == "executemany":
            staged.setdefault(targets[re.match(r"INSERT INTO (#\w+) ", sent.sql).group(1)], []).append(sent)
    return staged


def staging_columns(server: FakeServer, table: str) -> dict[str, str]:
    """The staging table of a raw table: column name -> declared type."""
    statements = server.statements()
    for position, sent in enumerate(statements):
        if re.match(rf'INSERT INTO "raw"\."{table}" .* FROM #', sent.sql):
            stage = re.search(r"FROM (#\w+) AS stage", sent.sql).group(1)
            create = next(s.sql for s in statements[:position] if s.sql.startswith(f"CREATE TABLE {stage} "))
            return dict(re.findall(r'"(\w+)" ([A-Z0-9(), ]+?)(?=, "|\)$)', create))
    raise AssertionError(f"no load of {table}")


def insert_select(server: FakeServer, table: str) -> Sent:
    return next(s for s in server.statements() if re.match(rf'INSERT INTO "raw"\."{table}" .* FROM #', s.sql))


# -- a run from a real operational database ------------------------------------------------------------------------
def test_a_run_sends_its_statements_in_order_and_commits_once(local_stores: Stores, server: FakeServer) -> None:
    report = run_ingestion(sqlserver_settings(local_stores))

    tables = [table.name for table in raw_tables()]
    counts = source_counts(local_stores.source)
    expected = ["lock", "schema"]
    expected += [f"ensure {name}" for name in ("_ingest_batches", "_ingest_loads", "_ingest_watermarks")]
    expected += ["columns"]
    for name in tables:
        expected += [f"create {name}", f"index {name}"]
    expected += ["watermarks"]
    for name in tables:
        expected += ["stage"] + ["stage rows"] * (counts[name] > 0) + [f"insert {name}", "drop stage", f"max {name}"]
    expected += ["record batch"]
    for name in tables:
        expected += [f"record load {name}"]
        expected += [f"forget watermark {name}", f"record watermark {name}"] if counts[name] else []
    expected += ["commit", "rollback", "close"]
    assert [label(sent) for sent in server.sent] == expected

    assert report.rows == counts
    assert server.connections == [
        (
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example,1433;DATABASE=yeelen_warehouse;"
            "UID=yeelen;PWD=s3cret;Encrypt=yes",
            False,
            10,
        )
    ]
    lock = server.sent[0].sql
    assert (
        "EXEC @outcome = sp_getapplock @Resource = N'yeelen_ingestion', @LockMode = 'Exclusive', "
        "@LockOwner = 'Transaction'" in lock
    )
    [batch] = [sent for sent in server.sent if label(sent) == "record batch"]
    assert batch.parameters[0] == report.batch_id
    assert batch.parameters[4] == sum(counts.values())


def test_every_statement_of_a_run_is_tsql(local_stores: Stores, server: FakeServer) -> None:
    run_ingestion(sqlserver_settings(local_stores))

    assert_tsql(server.statements())
    ensure = next(sent.sql for sent in server.statements() if label(sent) == "ensure _ingest_loads")
    assert ensure.endswith(
        '"raw"."_ingest_loads" (batch_id NVARCHAR(MAX) NOT NULL, table_name NVARCHAR(MAX) NOT NULL, '
        "rows_read BIGINT, rows_loaded BIGINT, read_from DATETIME2(6), watermark DATETIME2(6), "
        "loaded_at DATETIME2(6))"
    )
    create = next(sent.sql for sent in server.statements() if label(sent) == "create contract")
    assert '"subscribed_power" DECIMAL(10, 2)' in create
    assert '"_batch_id" NVARCHAR(MAX), "_loaded_at" DATETIME2(6))' in create
    # The index (updated_at) and the de-duplication (id, updated_at) use types SQL Server can index, not (MAX).
    assert '"id" BIGINT' in create
    assert '"updated_at" DATETIME2(6)' in create


def test_staged_rows_keep_exact_decimals_utc_timestamps_and_booleans(local_stores: Stores, server: FakeServer) -> None:
    run_ingestion(sqlserver_settings(local_stores))
    staged = stage_of(server)

    assert all(sent.fast for sents in staged.values() for sent in sents)
    # SQLite keeps exact decimals, dates and timestamps as text: they are staged as that text and cast by SQL Server.
    assert staging_columns(server, "contract")["subscribed_power"] == "NVARCHAR(MAX)"
    [contracts] = staged["contract"]
    names = re.findall(r'"(\w+)"', contracts.sql.split("VALUES")[0])
    second = next(dict(zip(names, row, strict=True)) for row in contracts.rows if row[names.index("id")] == 2)
    assert second["subscribed_power"] == "12345678.91"
    assert (
        'CAST(stage."subscribed_power" AS DECIMAL(10, 2)) AS "subscribed_power"'
        in insert_select(server, "contract").sql
    )
    # The first agency was written at 09:30:15.123456 at UTC+01:00: it travels as UTC.
    [agencies] = staged["agency"]
    names = re.findall(r'"(\w+)"', agencies.sql.split("VALUES")[0])
    first = next(dict(zip(names, row, strict=True)) for row in agencies.rows if row[names.index("id")] == 1)
    assert first["updated_at"] == "2025-03-01 08:30:15.123456"
    assert 'CAST(stage."updated_at" AS DATETIME2(6))' in insert_select(server, "agency").sql
    # SQLite's booleans are integers; CAST to BIT makes any non-zero value 1.
    assert staging_columns(server, "meter_intervention")["seal_ok"] == "BIGINT"
    [interventions] = staged["meter_intervention"]
    names = re.findall(r'"(\w+)"', interventions.sql.split("VALUES")[0])
    seals = {row[names.index("id")]: row[names.index("seal_ok")] for row in interventions.rows}
    assert (seals[3], seals[4]) == (1, 0)
    assert 'CAST(stage."seal_ok" AS BIT) AS "seal_ok"' in insert_select(server, "meter_intervention").sql


@pytest.mark.postgres
def test_typed_values_from_postgres_reach_the_stage_as_python_values(
    request: pytest.FixtureRequest, yeelen_home: Path, server: FakeServer
) -> None:
    stores = make_stores(request, "postgres", "duckdb")
    run_ingestion(sqlserver_settings(stores))
    staged = stage_of(server)

    assert staging_columns(server, "agency")["updated_at"] == "DATETIME2(6)"
    [agencies] = staged["agency"]
    names = re.findall(r'"(\w+)"', agencies.sql.split("VALUES")[0])
    first = next(dict(zip(names, row, strict=True)) for row in agencies.rows if row[names.index("id")] == 1)
    assert first["updated_at"] == dt.datetime(2025, 3, 1, 8, 30, 15, 123456)
    assert first["updated_at"].tzinfo is None
    assert staging_columns(server, "meter_intervention")["seal_ok"] == "BIT"
    [interventions] = staged["meter_intervention"]
    names = re.findall(r'"(\w+)"', interventions.sql.split("VALUES")[0])
    seals = {row[names.index("id")]: row[names.index("seal_ok")] for row in interventions.rows}
    assert (seals[3], seals[4]) == (True, False)
    assert all(type(value) is bool for value in seals.values())
    [contracts] = staged["contract"]
    names = re.findall(r'"(\w+)"', contracts.sql.split("VALUES")[0])
    assert {type(row[names.index("start_date")]) for row in contracts.rows} == {dt.date}
    assert_tsql(server.statements())


def test_arrow_batches_are_staged_batch_by_batch_with_exact_python_values(server: FakeServer) -> None:
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("amount", pa.decimal128(14, 2)),
            ("wide", pa.decimal256(40, 3)),
            ("updated_at", pa.timestamp("us", tz="+01:00")),
            ("read_at", pa.timestamp("ns")),
            ("paid", pa.bool_()),
            ("due", pa.date32()),
            ("ratio", pa.float64()),
            ("label", pa.dictionary(pa.int8(), pa.string())),
            ("nothing", pa.null()),
        ]
    )
    first = pa.record_batch(
        [
            pa.array([1, 2]),
            pa.array([decimal.Decimal("12345678.91"), decimal.Decimal("-0.10")], pa.decimal128(14, 2)),
            pa.array([decimal.Decimal("1234567890123456789012345678901234567.125"), None], pa.decimal256(40, 3)),
            pa.array(
                [dt.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))), None],
                pa.timestamp("us", tz="+01:00"),
            ),
            pa.array([1_740_821_415_123_456_789, None], pa.timestamp("ns")),
            pa.array([True, False]),
            pa.array([dt.date(2025, 2, 28), None], pa.date32()),
            pa.array([0.5, None]),
            pa.array(["a", "b"]).dictionary_encode().cast(pa.dictionary(pa.int8(), pa.string())),
            pa.nulls(2),
        ],
        schema=schema,
    )
    second = first.slice(0, 1)
    destination = SqlServerDestination(URL, dbapi=server)

    rows = destination.insert_stream(
        pa.RecordBatchReader.from_batches(schema, iter([first, second])),
        lambda stage: f'INSERT INTO "raw"."t" ("id") SELECT CAST(stage."id" AS BIGINT) FROM {stage} AS stage',
        (),
    )

    assert rows == 3
    create, *inserts, insert, drop = server.statements()
    assert re.sub(r"#\w+", "#stage", create.sql) == (
        'CREATE TABLE #stage ("id" BIGINT, "amount" DECIMAL(14, 2), "wide" NVARCHAR(MAX), '
        '"updated_at" DATETIME2(6), "read_at" DATETIME2(6), "paid" BIT, "due" DATE, "ratio" FLOAT, '
        '"label" NVARCHAR(MAX), "nothing" NVARCHAR(MAX))'
    )
    assert [len(sent.rows) for sent in inserts] == [2, 1]
    assert all(sent.fast for sent in inserts)
    # Text staged as NVARCHAR(MAX) is bound with the batch's longest value (a null column: one character), not as
    # a (MAX) parameter, which fast_executemany would size for 2 GB per row.
    text = sqlserver.SQL_WVARCHAR
    assert inserts[0].sizes == [None, None, (text, 41, 0), None, None, None, None, None, (text, 1, 0), (text, 1, 0)]
    assert inserts[0].rows[0] == (
        1,
        decimal.Decimal("12345678.91"),
        "1234567890123456789012345678901234567.125",
        dt.datetime(2025, 3, 1, 8, 30, 15, 123456),
        dt.datetime(2025, 3, 1, 9, 30, 15, 123456),
        True,
        dt.date(2025, 2, 28),
        0.5,
        "a",
        None,
    )
    amount = inserts[0].rows[1][1]
    assert type(amount) is decimal.Decimal and amount.as_tuple() == decimal.Decimal("-0.10").as_tuple()
    assert inserts[0].rows[1][3:6] == (None, None, False)
    assert inserts[1].rows == inserts[0].rows[:1]
    assert drop.sql == f"DROP TABLE {create.sql.split()[2]}"
    assert_tsql([create, *inserts, drop])


def test_an_existing_warehouse_gets_its_missing_column_and_is_read_from_the_watermark(
    local_stores: Stores, server: FakeServer
) -> None:
    tables = raw_tables()
    server.columns = [
        (table.name, name)
        for table in tables
        for name in [*table.column_names, "_batch_id", "_loaded_at"]
        if (table.name, name) != ("meter", "brand")
    ] + [(name, "batch_id") for name in ("_ingest_batches", "_ingest_loads", "_ingest_watermarks")]
    held = dt.datetime(2025, 3, 1, 9, 0, 0)
    server.watermarks = [(table.name, held) for table in tables]

    run_ingestion(sqlserver_settings(local_stores))

    labels = [label(sent) for sent in server.sent]
    assert not [name for name in labels if name.startswith(("create ", "index "))]
    assert labels[labels.index("columns") + 1 : labels.index("watermarks")] == ["add meter.brand"]
    add = next(sent.sql for sent in server.statements() if label(sent) == "add meter.brand")
    assert add == 'ALTER TABLE "raw"."meter" ADD "brand" NVARCHAR(MAX)'
    # The bound (watermark minus the 300 s lookback) is written twice in the statement, so it is sent twice.
    insert = insert_select(server, "reading")
    assert insert.sql.count("?") == 4
    bound = held - dt.timedelta(seconds=300)
    assert insert.parameters[2:] == (bound, bound)
    assert 'WHERE arrived."updated_at" >= ? AND NOT EXISTS' in insert.sql
    assert insert.sql.endswith('AND held."updated_at" >= ?)')
    assert_tsql(server.statements())


# -- failures ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            odbc_error(
                FakeDataError, "22007", "Conversion failed when converting date and/or time from character string.", 241
            ),
            "Conversion failed when converting date and/or time from character string. (241)",
        ),
        (
            odbc_error(FakeProgrammingError, "42000", "Error converting data type nvarchar to numeric.", 8114),
            "Error converting data type nvarchar to numeric. (8114)",
        ),
    ],
    ids=["date-as-data-error", "decimal-as-programming-error"],
)
def test_a_value_refused_half_way_rolls_the_run_back_naming_the_table(
    local_stores: Stores, server: FakeServer, error: FakeError, reason: str
) -> None:
    second = raw_tables()[1].name
    server.fail = lambda sent: error if re.match(rf'INSERT INTO "raw"\."{second}" .* FROM #', sent.sql) else None

    with pytest.raises(InputRejectedError) as caught:
        run_ingestion(sqlserver_settings(local_stores))

    assert str(caught.value) == (
        f"Table {second} holds a value that does not fit its warehouse type ({reason}); "
        "correct that row in the operational database and run again."
    )
    labels = [label(sent) for sent in server.sent]
    assert f"insert {raw_tables()[0].name}" in labels
    assert "commit" not in labels
    assert labels[-3:] == [f"insert {second}", "rollback", "close"]


def test_an_error_that_is_not_about_a_value_is_not_reported_as_one(local_stores: Stores, server: FakeServer) -> None:
    missing = odbc_error(FakeProgrammingError, "42S02", "Invalid object name 'raw.agency'.", 208)
    server.fail = lambda sent: missing if sent.sql.startswith('INSERT INTO "raw"."agency"') else None

    with pytest.raises(FakeProgrammingError):
        run_ingestion(sqlserver_settings(local_stores))
    assert "commit" not in server.calls()


def test_a_lock_not_granted_stops_the_run_before_it_writes(local_stores: Stores, server: FakeServer) -> None:
    server.lock_outcome = -3

    with pytest.raises(StoreUnavailableError, match=r"deadlock victim \(sp_getapplock returned -3\)"):
        run_ingestion(sqlserver_settings(local_stores))
    assert [label(sent) for sent in server.sent] == ["lock", "rollback", "close"]


def test_without_unixodbc_the_message_says_what_to_install(
    local_stores: Stores, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # This machine has pyodbc but not unixODBC's libodbc.so.2: the real import fails, and nothing is faked.
    url = "mssql+pyodbc://yeelen:s3cret@127.0.0.1:1/yeelen_warehouse"
    try:
        import pyodbc  # noqa: F401

        driver_manager = True
    except ImportError:
        driver_manager = False

    with pytest.raises(StoreUnavailableError) as caught:
        open_destination(sqlserver_settings(local_stores, url))

    message = str(caught.value)
    assert "YEELEN_WAREHOUSE_ODBC_DRIVER" in message
    assert "s3cret" not in message
    assert "mssql+pyodbc://yeelen:***@127.0.0.1:1/yeelen_warehouse" in message
    if not driver_manager:
        assert "libodbc" in message
        assert "Install unixODBC" in message
        assert "ODBC Driver 18 or 17 for SQL Server" in message
        assert "(now 'ODBC Driver 18 for SQL Server';" in message

    # The command line prints it as it prints every message a user can act on.
    monkeypatch.setenv("YEELEN_WAREHOUSE_ENGINE", "sqlserver")
    monkeypatch.setenv("YEELEN_WAREHOUSE_URL", url)
    reset_settings_cache()
    assert main(["ingest", "run"]) == 2
    captured = capsys.readouterr()
    assert f"Error: {message}" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_a_missing_odbc_driver_is_named_with_the_setting(
    local_stores: Stores, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YEELEN_WAREHOUSE_ODBC_DRIVER", "ODBC Driver 19 for SQL Server")
    server.refuse_connection = FakeInterfaceError(
        "01000",
        "[01000] [unixODBC][Driver Manager]Can't open lib 'ODBC Driver 19 for SQL Server' : file not found "
        "(0) (SQLDriverConnect)",
    )

    with pytest.raises(StoreUnavailableError) as caught:
        run_ingestion(sqlserver_settings(local_stores))

    message = str(caught.value)
    assert message.startswith("The ODBC driver 'ODBC Driver 19 for SQL Server' for the SQL Server warehouse at ")
    assert "Can't open lib 'ODBC Driver 19 for SQL Server' : file not found (0);" in message
    assert "installed: 'ODBC Driver 17 for SQL Server'" in message
    assert "set YEELEN_WAREHOUSE_ODBC_DRIVER to an installed driver's name" in message
    assert server.connections[0][0].startswith("DRIVER={ODBC Driver 19 for SQL Server};")


@pytest.mark.parametrize(
    ("refusal", "hint"),
    [
        (
            FakeOperationalError(
                "HYT00",
                "[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]Login timeout expired (0) (SQLDriverConnect)",
            ),
            "Login timeout expired (0). Check that the server is running",
        ),
        (
            FakeOperationalError(
                "08001",
                "[08001] [Microsoft][ODBC Driver 18 for SQL Server]SSL Provider: "
                "certificate verify failed:self-signed certificate (-1) (SQLDriverConnect)",
            ),
            "needs YEELEN_WAREHOUSE_TRUST_CERT=True (or TrustServerCertificate=yes in the URL)",
        ),
    ],
    ids=["unreachable", "self-signed-certificate"],
)
def test_a_server_that_cannot_be_reached_names_the_url_without_its_password(
    local_stores: Stores, server: FakeServer, refusal: FakeError, hint: str
) -> None:
    server.refuse_connection = refusal

    with pytest.raises(StoreUnavailableError) as caught:
        run_ingestion(sqlserver_settings(local_stores))

    message = str(caught.value)
    assert message.startswith("The warehouse at mssql+pyodbc://yeelen:***@db.example:1433/yeelen_warehouse ")
    assert "YEELEN_WAREHOUSE_URL" in message and "YEELEN_WAREHOUSE_ODBC_DRIVER" in message
    assert hint in message
    assert "s3cret" not in message


def test_a_url_of_another_engine_is_refused(settings: Settings) -> None:
    wrong = settings.model_copy(
        update={"warehouse_engine": "sqlserver", "warehouse_url": "postgresql+psycopg://u:pw@h/w"}
    )
    with pytest.raises(ConfigurationError, match=r"needs a SQL Server URL such as mssql\+pyodbc://"):
        open_destination(wrong)


# -- the connection string ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "mssql+pyodbc://yeelen:secret@db.example:1433/yeelen_warehouse",
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example,1433;DATABASE=yeelen_warehouse;"
            "UID=yeelen;PWD=secret;Encrypt=yes",
        ),
        (
            "mssql+pyodbc://yeelen:secret@db.example/yeelen_warehouse",
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example;DATABASE=yeelen_warehouse;"
            "UID=yeelen;PWD=secret;Encrypt=yes",
        ),
        (
            "mssql+pyodbc://yeelen:secret@db.example:1433/wh?TrustServerCertificate=yes&Encrypt=no",
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example,1433;DATABASE=wh;"
            "UID=yeelen;PWD=secret;TrustServerCertificate=yes;Encrypt=no",
        ),
        (
            # p@ss;w}rd{ = , percent-encoded in the URL
            "mssql+pyodbc://yeelen:p%40ss%3Bw%7Drd%7B%20%3D%20@db.example/wh",
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example;DATABASE=wh;"
            "UID=yeelen;PWD={p@ss;w}}rd{ = };Encrypt=yes",
        ),
        (
            "mssql+pyodbc://yeelen:secret@db.example/wh?driver=ODBC+Driver+17+for+SQL+Server",
            "DRIVER={ODBC Driver 17 for SQL Server};SERVER=db.example;DATABASE=wh;UID=yeelen;PWD=secret;Encrypt=yes",
        ),
        (
            "mssql+pyodbc://@db.example/wh",
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=db.example;DATABASE=wh;Trusted_Connection=yes;Encrypt=yes",
        ),
    ],
    ids=["port", "no-port", "query-options", "password-with-special-characters", "driver-in-url", "no-user"],
)
def test_the_connection_string_follows_the_url(url: str, expected: str, server: FakeServer) -> None:
    parsed = make_url(url)
    assert connection_string(parsed, sqlserver.odbc_driver(parsed, sqlserver.DEFAULT_DRIVER)) == expected
    SqlServerDestination(url, dbapi=server)
    assert server.connections == [(expected, False, 10)]


def test_the_driver_and_certificate_settings_shape_the_connection(
    local_stores: Stores, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YEELEN_WAREHOUSE_ODBC_DRIVER", "ODBC Driver 17 for SQL Server")
    monkeypatch.setenv("YEELEN_WAREHOUSE_TRUST_CERT", "True")
    settings = sqlserver_settings(local_stores, "mssql+pyodbc://sa:pw@sql01:1433/wh")
    assert (settings.warehouse_odbc_driver, settings.warehouse_trust_cert) == ("ODBC Driver 17 for SQL Server", True)

    open_destination(settings).close()
    chosen = {"driver": settings.warehouse_odbc_driver, "trust_cert": settings.warehouse_trust_cert}
    SqlServerDestination("mssql+pyodbc://sa:pw@sql01/wh?TrustServerCertificate=no", dbapi=server, **chosen)
    SqlServerDestination("mssql+pyodbc://sa:pw@sql01/wh?driver=FreeTDS", dbapi=server, **chosen)

    assert [connection for connection, _, _ in server.connections] == [
        "DRIVER={ODBC Driver 17 for SQL Server};SERVER=sql01,1433;DATABASE=wh;UID=sa;PWD=pw;Encrypt=yes;"
        "TrustServerCertificate=yes",
        "DRIVER={ODBC Driver 17 for SQL Server};SERVER=sql01;DATABASE=wh;UID=sa;PWD=pw;TrustServerCertificate=no;"
        "Encrypt=yes",
        "DRIVER={FreeTDS};SERVER=sql01;DATABASE=wh;UID=sa;PWD=pw;Encrypt=yes;TrustServerCertificate=yes",
    ]


# -- the status command ------------------------------------------------------------------------------------------
def test_the_status_reads_the_warehouse_in_tsql(settings: Settings, server: FakeServer) -> None:
    tables = [table.name for table in raw_tables()]
    finished = dt.datetime(2025, 3, 2, 10, 0)
    server.tables = [(name,) for name in [*tables, "_ingest_batches", "_ingest_loads", "_ingest_watermarks"]]
    server.watermarks = [("reading", dt.datetime(2025, 3, 2, 9, 59))]
    server.answers = {
        'SELECT TOP 1 batch_id, finished_at FROM "raw"."_ingest_batches" ORDER BY finished_at DESC, batch_id DESC': [
            ("20250302T100000Z-1a2b3c4d", finished)
        ],
        'SELECT table_name, rows_loaded FROM "raw"."_ingest_loads" WHERE batch_id = ?': [("reading", 600)],
        'SELECT count(*) FROM "raw"."reading"': [(1200,)],
        "SELECT count(*) FROM": [(0,)],
    }
    status_settings = settings.model_copy(update={"warehouse_engine": "sqlserver", "warehouse_url": URL})

    statuses = {status.table: status for status in ingestion_status(status_settings)}

    assert set(statuses) == set(tables)
    reading = statuses["reading"]
    assert (reading.watermark, reading.rows, reading.last_rows_loaded) == (dt.datetime(2025, 3, 2, 9, 59), 1200, 600)
    assert (reading.last_batch_id, reading.last_loaded_at) == ("20250302T100000Z-1a2b3c4d", finished)
    assert statuses["agency"].rows == 0 and statuses["agency"].last_rows_loaded is None
    loads = next(sent for sent in server.statements() if "_ingest_loads" in sent.sql)
    assert loads.parameters == ("20250302T100000Z-1a2b3c4d",)
    assert_tsql(server.statements())
    assert server.calls()[-2:] == ["rollback", "close"]


def test_the_status_of_an_empty_sqlserver_warehouse_lists_every_table(settings: Settings, server: FakeServer) -> None:
    status_settings = settings.model_copy(update={"warehouse_engine": "sqlserver", "warehouse_url": URL})

    statuses = ingestion_status(status_settings)

    assert [status.table for status in statuses] == [table.name for table in raw_tables()]
    assert all(status.rows == 0 and status.last_batch_id is None for status in statuses)
    [query] = server.statements()
    assert query.sql == "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?"
    assert query.parameters == ("raw",)


def test_a_sqlserver_warehouse_is_opened_by_the_settings(settings: Settings, server: FakeServer) -> None:
    destination = open_destination(settings.model_copy(update={"warehouse_engine": "sqlserver", "warehouse_url": URL}))
    try:
        assert isinstance(destination, SqlServerDestination)
        assert destination.description == "mssql+pyodbc://yeelen:***@db.example:1433/yeelen_warehouse"
        assert destination.data_errors == (FakeDataError, sqlserver.ValueNotConverted)
    finally:
        destination.close()
    assert server.calls() == ["rollback", "close"]


def test_text_is_bound_with_its_longest_value_up_to_4000_characters() -> None:
    text = sqlserver.SQL_WVARCHAR
    types = ["BIGINT", "NVARCHAR(MAX)", "NVARCHAR(MAX)", "NVARCHAR(MAX)"]
    rows = [(1, "Mbour", "x" * 4001, "Thiès 𝄞"), (2, None, None, None)]
    # UTF-16 code units: the clef outside the basic plane counts two.
    assert sqlserver.input_sizes(types, rows) == [None, (text, 5, 0), None, (text, 8, 0)]
