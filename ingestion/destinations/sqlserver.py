"""The SQL Server warehouse: Arrow batches go into a temporary staging table through pyodbc's fast_executemany,
then into the raw table by one INSERT ... SELECT that casts and de-duplicates.

The connection goes through pyodbc, the unixODBC driver manager and Microsoft's ODBC Driver 18 (or 17) for SQL
Server. They are loaded only when a SQL Server warehouse is opened, so the other engines run on machines that
lack them; when one is missing the error says what to install.

The run is one transaction (the driver's manual-commit mode). A transaction-owned application lock
(``sp_getapplock``) keeps two runs from loading the same rows at the same time, as the advisory lock does on
PostgreSQL; the commit or the rollback releases it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from types import ModuleType

import pyarrow as pa
from sqlalchemy.engine import URL

from ingestion.destinations import ServerDestination, quote, raw_name
from ingestion.errors import first_line, odbc_sqlstate
from ingestion.schema import RAW_SCHEMA, Kind
from ingestion.sources import parse_url
from yeelen.errors import ConfigurationError, StoreUnavailableError

TYPE_NAMES = {
    Kind.BIGINT: "BIGINT",
    Kind.DOUBLE: "FLOAT",
    Kind.DECIMAL: "DECIMAL",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "DATETIME2(6)",
    Kind.BOOLEAN: "BIT",
    # Text of any length. A (MAX) column cannot be a key of an index: raw tables are indexed on updated_at only
    # and de-duplicated on id and updated_at, none of them text.
    Kind.VARCHAR: "NVARCHAR(MAX)",
}
# The settings the dbt profile's sqlserver target reads too (dbt_project/profiles.yml).
DRIVER_VARIABLE = "YEELEN_WAREHOUSE_ODBC_DRIVER"
TRUST_CERT_VARIABLE = "YEELEN_WAREHOUSE_TRUST_CERT"
DEFAULT_DRIVER = "ODBC Driver 18 for SQL Server"
LOGIN_TIMEOUT_SECONDS = 10
# Any name shared by every ingestion process; it names the lock in sys.dm_tran_locks.
LOCK_RESOURCE = "yeelen_ingestion"
LOCK_OUTCOMES = {-1: "timed out", -2: "was cancelled", -3: "was chosen as a deadlock victim", -999: "was refused"}
# SQL Server's errors for a value that cannot be converted to a column's type. Some of them reach pyodbc under
# SQLSTATE 42000 (a ProgrammingError) rather than 22xxx (a DataError).
CONVERSION_ERRORS = frozenset({220, 241, 242, 245, 248, 8114, 8115})
# ODBC's SQL_WVARCHAR (Unicode text of a declared length), and the longest text bound with its own length: with
# fast_executemany, a parameter the driver describes as NVARCHAR(MAX) gets a buffer sized for 2 GB on every row.
SQL_WVARCHAR = -9
BOUND_TEXT = 4000
_NATIVE_CODE = re.compile(r"\((\d+)\)\s*(?:\(SQL\w+\))?\s*$")


class ValueNotConverted(Exception):
    """SQL Server refused to convert a streamed value to its warehouse type."""


def literal(text: str) -> str:
    """A T-SQL Unicode string literal."""
    return "N'" + text.replace("'", "''") + "'"


def bracketed(name: str) -> str:
    """A bracket-quoted identifier, the form OBJECT_ID reads inside its string argument."""
    return "[" + name.replace("]", "]]") + "]"


def odbc_value(value: str) -> str:
    """A value of an ODBC connection string, in braces when it holds characters the string's syntax uses."""
    if value and not re.search(r"[;{}=]", value) and value == value.strip():
        return value
    return "{" + value.replace("}", "}}") + "}"


def _query_value(value: str | tuple[str, ...]) -> str:
    return value[-1] if isinstance(value, tuple) else value


def odbc_driver(url: URL, configured: str) -> str:
    """The ODBC driver's name: ``driver=`` in the URL's query, else the configured one."""
    for key, value in url.query.items():
        if key.lower() == "driver":
            return _query_value(value)
    return configured


def connection_string(url: URL, driver: str, trust_cert: bool = False) -> str:
    """The ODBC connection string of a ``mssql+pyodbc://`` URL.

    The URL's query parameters (``TrustServerCertificate=yes``, ``Encrypt=no``, ``Authentication=...``) pass
    through as they are. Like the dbt profile, the connection is encrypted unless the URL says otherwise.
    """
    server = url.host or "localhost"
    if url.port:
        server += f",{url.port}"
    parts = [("DRIVER", "{" + driver.replace("}", "}}") + "}"), ("SERVER", odbc_value(server))]
    if url.database:
        parts.append(("DATABASE", odbc_value(url.database)))
    if url.username:
        parts.append(("UID", odbc_value(url.username)))
        if url.password is not None:
            parts.append(("PWD", odbc_value(str(url.password))))
    else:
        parts.append(("Trusted_Connection", "yes"))
    given = set()
    for key, value in url.query.items():
        if key.lower() == "driver":
            continue
        given.add(key.lower())
        parts.append((key, odbc_value(_query_value(value))))
    if "encrypt" not in given:
        parts.append(("Encrypt", "yes"))
    if trust_cert and "trustservercertificate" not in given:
        parts.append(("TrustServerCertificate", "yes"))
    return ";".join(f"{key}={value}" for key, value in parts)


def import_pyodbc() -> ModuleType:
    """pyodbc, imported on first use: importing it loads unixODBC's shared library."""
    import pyodbc

    return pyodbc


def staging_type(data_type: pa.DataType) -> str:
    """The staging table's type for a streamed Arrow column: the values go in as they arrived."""
    if isinstance(data_type, pa.BaseExtensionType):
        return staging_type(data_type.storage_type)
    if pa.types.is_dictionary(data_type):
        return staging_type(data_type.value_type)
    if pa.types.is_boolean(data_type):
        return "BIT"
    if pa.types.is_integer(data_type):
        # SQLite's booleans arrive here as 0 and 1; the cast to BIT turns any non-zero value into 1.
        return "BIGINT"
    if pa.types.is_floating(data_type):
        return "FLOAT"
    if pa.types.is_decimal(data_type) and 0 <= data_type.scale <= data_type.precision <= 38:
        return f"DECIMAL({data_type.precision}, {data_type.scale})"
    if pa.types.is_date(data_type):
        return "DATE"
    if pa.types.is_timestamp(data_type):
        return "DATETIME2(6)"
    if (
        pa.types.is_string(data_type)
        or pa.types.is_large_string(data_type)
        or pa.types.is_string_view(data_type)
        or pa.types.is_decimal(data_type)
        or pa.types.is_null(data_type)
    ):
        # Text (exact decimals and dates from SQLite among it), decimals too wide for SQL Server as their exact
        # text, and columns that are NULL throughout.
        return "NVARCHAR(MAX)"
    raise ConfigurationError(
        f"A streamed column has the Arrow type {data_type}, which the SQL Server warehouse cannot stage yet; "
        "add it to ingestion/destinations/sqlserver.py (staging_type and python_values)."
    )


def python_values(array: pa.Array) -> list:
    """One Arrow column as the Python values pyodbc binds: exact decimals, naive UTC timestamps, booleans."""
    if isinstance(array.type, pa.BaseExtensionType):
        array = array.storage
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    data_type = array.type
    if pa.types.is_timestamp(data_type) and (data_type.tz is not None or data_type.unit == "ns"):
        # pyodbc would drop a zone and keep the local clock time; dropping it in Arrow keeps the instant, in UTC.
        # The warehouse keeps microseconds.
        array = array.cast(pa.timestamp("us"), safe=False)
    if pa.types.is_decimal(data_type) and staging_type(data_type) == "NVARCHAR(MAX)":
        return [None if value is None else format(value, "f") for value in array.to_pylist()]
    return array.to_pylist()


def input_sizes(types: list[str], rows: list[tuple]) -> list:
    """pyodbc's input sizes for one batch: each text column staged as NVARCHAR(MAX) bound as NVARCHAR of the batch's
    longest value (in UTF-16 code units) when it is at most 4,000; every other column as the driver describes it."""
    sizes: list = []
    for position, staged in enumerate(types):
        if staged != "NVARCHAR(MAX)":
            sizes.append(None)
            continue
        longest = max(
            (len(row[position].encode("utf-16-le")) // 2 for row in rows if row[position] is not None), default=1
        )
        sizes.append((SQL_WVARCHAR, max(longest, 1), 0) if longest <= BOUND_TEXT else None)
    return sizes


def python_rows(batch: pa.RecordBatch) -> list[tuple]:
    """The rows of one record batch for ``executemany`` (decimals stay ``Decimal``, never float)."""
    return list(zip(*(python_values(column) for column in batch.columns), strict=True))


def conversion_error(error: BaseException) -> bool:
    """Whether a SQL Server error says a value could not be converted to a column's type."""
    if odbc_sqlstate(error) is None:
        return False
    found = _NATIVE_CODE.search(str(error.args[1]).strip())
    return found is not None and int(found.group(1)) in CONVERSION_ERRORS


def _result(cursor) -> list[tuple]:
    """The rows of the first result set of a statement, past the row counts a batch reports before it."""
    while cursor.description is None:
        if not cursor.nextset():
            return []
    return [tuple(row) for row in cursor.fetchall()]


class SqlServerDestination(ServerDestination):
    """The SQL Server warehouse named by ``YEELEN_WAREHOUSE_URL`` (``mssql+pyodbc://user:secret@server:1433/db``).

    ``dbapi`` is the DB-API module to connect with (pyodbc unless given); ``driver`` (unless the URL names one with
    ``driver=``) and ``trust_cert`` are the YEELEN_WAREHOUSE_ODBC_DRIVER and YEELEN_WAREHOUSE_TRUST_CERT settings.
    """

    type_names = TYPE_NAMES
    paramstyle = "qmark"

    def __init__(
        self,
        url: str,
        *,
        driver: str = DEFAULT_DRIVER,
        trust_cert: bool = False,
        dbapi: ModuleType | None = None,
    ) -> None:
        self._connection = None
        parsed = parse_url(url, "YEELEN_WAREHOUSE_URL")
        self.description = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() != "mssql":
            raise ConfigurationError(
                f"YEELEN_WAREHOUSE_ENGINE=sqlserver needs a SQL Server URL such as "
                f"mssql+pyodbc://user:secret@server:1433/yeelen_warehouse; YEELEN_WAREHOUSE_URL is {self.description}."
            )
        self.driver = odbc_driver(parsed, driver)
        if dbapi is None:
            try:
                dbapi = import_pyodbc()
            except ImportError as error:
                raise StoreUnavailableError(
                    f"The SQL Server warehouse at {self.description} cannot be opened: pyodbc cannot load the ODBC "
                    f"driver manager ({first_line(error)}). Install unixODBC (Debian and Ubuntu: apt-get install "
                    "unixodbc) and Microsoft's ODBC Driver 18 or 17 for SQL Server (msodbcsql18 or msodbcsql17), "
                    f"then set {DRIVER_VARIABLE} to the installed driver's name (now {self.driver!r}; "
                    "`odbcinst -q -d` lists the installed drivers)."
                ) from None
        self.data_errors = (dbapi.DataError, ValueNotConverted)
        self._programming_error = dbapi.ProgrammingError
        try:
            self._connection = dbapi.connect(
                connection_string(parsed, self.driver, trust_cert), autocommit=False, timeout=LOGIN_TIMEOUT_SECONDS
            )
        except dbapi.Error as error:
            raise StoreUnavailableError(self._connection_problem(dbapi, error)) from None

    def _connection_problem(self, dbapi: ModuleType, error: Exception) -> str:
        reason = first_line(error)
        if (odbc_sqlstate(error) or "").startswith("IM") or "can't open lib" in reason.lower():
            installed = [name for name in getattr(dbapi, "drivers", list)() if "SQL Server" in name]
            found = f"installed: {', '.join(map(repr, installed))}" if installed else "none is installed"
            return (
                f"The ODBC driver {self.driver!r} for the SQL Server warehouse at {self.description} cannot be "
                f"loaded ({reason}; SQL Server drivers {found}). Install Microsoft's ODBC Driver 18 or 17 for SQL "
                f"Server (msodbcsql18 or msodbcsql17) or set {DRIVER_VARIABLE} to an installed driver's name "
                "(`odbcinst -q -d` lists them)."
            )
        message = (
            f"The warehouse at {self.description} cannot be reached: {reason}. Check that the server is running, "
            "that the database exists and that YEELEN_WAREHOUSE_URL is right "
            f"(ODBC driver {self.driver!r}, from driver= in the URL or {DRIVER_VARIABLE})."
        )
        if "certificate" in reason.lower():
            message += (
                f" A server whose certificate no authority signed needs {TRUST_CERT_VARIABLE}=True "
                "(or TrustServerCertificate=yes in the URL)."
            )
        return message

    # -- the dialect -------------------------------------------------------------------------------------------
    def create_schema_sql(self) -> str:
        # CREATE SCHEMA must be alone in its batch, hence EXEC.
        return f"IF SCHEMA_ID({literal(RAW_SCHEMA)}) IS NULL EXEC({literal(f'CREATE SCHEMA {quote(RAW_SCHEMA)}')})"

    def create_table_sql(self, table: str, columns: str) -> str:
        name = literal(f"{bracketed(RAW_SCHEMA)}.{bracketed(table)}")
        return f"IF OBJECT_ID({name}, N'U') IS NULL CREATE TABLE {raw_name(table)} ({columns})"

    def add_column_sql(self, table: str, column: str, sql_type: str) -> str:
        return f"ALTER TABLE {raw_name(table)} ADD {quote(column)} {sql_type}"

    def columns_sql(self) -> str:
        # Upper case: in a database with a case-sensitive collation the catalog views' names are case-sensitive.
        return "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?"

    def tables_sql(self) -> str:
        return "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?"

    def select_first(self, columns: str, rest: str) -> str:
        return f"SELECT TOP 1 {columns} {rest}"

    # -- the connection ----------------------------------------------------------------------------------------
    # pyodbc's cursors commit when used as context managers, so they are closed by hand.
    def execute(self, sql: str, parameters: tuple = ()) -> None:
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, *parameters)
        finally:
            cursor.close()

    def fetchall(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, *parameters)
            return _result(cursor)
        finally:
            cursor.close()

    def begin(self) -> None:
        # With autocommit off the driver lets the server open the transaction at the first statement that reads
        # a table; the catalog read opens it, so the lock belongs to the run's transaction and waits for any other
        # run to commit, after which its rows are visible to this one.
        rows = self.fetchall(
            "DECLARE @outcome INT; "
            "SELECT @outcome = COUNT(*) FROM sys.schemas; "
            f"EXEC @outcome = sp_getapplock @Resource = {literal(LOCK_RESOURCE)}, @LockMode = 'Exclusive', "
            "@LockOwner = 'Transaction'; "
            "SELECT @outcome AS outcome"
        )
        outcome = rows[0][0] if rows else None
        if outcome is None or outcome < 0:
            raise StoreUnavailableError(
                f"The ingestion lock of the warehouse at {self.description} {LOCK_OUTCOMES.get(outcome, 'failed')} "
                f"(sp_getapplock returned {outcome}); run again, and if it persists look for another ingestion "
                f"holding the lock {LOCK_RESOURCE!r} in sys.dm_tran_locks."
            )

    def insert_stream(self, reader: pa.RecordBatchReader, statement: Callable[[str], str], parameters: tuple) -> int:
        # A local temporary table belongs to this session; created inside the run's transaction, it also goes
        # away with a rollback, so a load that fails leaves nothing behind.
        stage = f"#ingest_stage_{uuid.uuid4().hex[:8]}"
        fields = list(reader.schema)
        types = [staging_type(field.type) for field in fields]
        columns = ", ".join(f"{quote(field.name)} {staged}" for field, staged in zip(fields, types, strict=True))
        insert = (
            f"INSERT INTO {stage} ({', '.join(quote(field.name) for field in fields)}) "
            f"VALUES ({', '.join('?' for _ in fields)})"
        )
        cursor = self._connection.cursor()
        try:
            cursor.execute(f"CREATE TABLE {stage} ({columns})")
            # One array of parameters per record batch: the stream is never held whole in memory.
            cursor.fast_executemany = True
            for batch in reader:
                if batch.num_rows:
                    rows = python_rows(batch)
                    cursor.setinputsizes(input_sizes(types, rows))
                    cursor.executemany(insert, rows)
            cursor.execute(statement(stage), *parameters)
            rows = cursor.rowcount
            cursor.execute(f"DROP TABLE {stage}")
        except self._programming_error as error:
            if conversion_error(error):
                raise ValueNotConverted(first_line(error)) from None
            raise
        finally:
            cursor.close()
        return int(rows)
