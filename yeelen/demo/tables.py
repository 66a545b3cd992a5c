"""Arrow tables shaped like the operational tables, converted to what each engine's bulk loader expects.

Columns are given with logical types (days for dates, microseconds for UTC timestamps, canonical decimal text);
``for_sqlite`` and ``for_postgres`` turn them into exactly what SQLAlchemy would have written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Boolean, Date, Double, Integer, SmallInteger, String, Table
from sqlalchemy.types import TypeEngine

from operational_api.db import ExactDecimal, UTCDateTime
from operational_api.models import metadata


def nullable(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    """An Arrow array with nulls where ``missing`` is true."""
    return pa.array(values, mask=np.asarray(missing, dtype=bool))


def _logical_type(column_type: TypeEngine) -> pa.DataType:
    if isinstance(column_type, ExactDecimal):
        return pa.string()
    if isinstance(column_type, UTCDateTime):
        return pa.timestamp("us")
    if isinstance(column_type, Date):
        return pa.date32()
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Double):
        return pa.float64()
    if isinstance(column_type, String):
        return pa.string()
    raise TypeError(f"no Arrow type for {column_type!r}")


def logical_table(name: str, columns: Mapping[str, Any]) -> pa.Table:
    """The rows of table ``name``: every column of the model, in order; a plain value fills the whole column."""
    table: Table = metadata.tables[name]
    missing = [column.name for column in table.columns if column.name not in columns]
    if missing:
        raise KeyError(f"table {name} lacks columns {missing}")
    sizes = {len(value) for value in columns.values() if isinstance(value, np.ndarray | pa.Array | list)}
    if len(sizes) != 1:
        raise ValueError(f"columns of {name} have different lengths: {sorted(sizes)}")
    size = sizes.pop()
    arrays = []
    for column in table.columns:
        value = columns[column.name]
        wanted = _logical_type(column.type)
        if isinstance(value, pa.Array):
            array = value if value.type == wanted else value.cast(wanted)
        elif isinstance(value, np.ndarray):
            if wanted == pa.date32():
                value = value.astype(np.int32)
            array = pa.array(value, wanted)
        elif isinstance(value, list):
            array = pa.array(value, wanted)
        else:
            array = pa.array([value] * size, wanted)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[column.name for column in table.columns])


def for_sqlite(name: str, logical: pa.Table) -> pa.Table:
    """Dates as 'YYYY-MM-DD', timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff', booleans as 0/1."""
    arrays = []
    for column in logical.columns:
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            arrays.append(pc.cast(column, pa.string()))
        elif pa.types.is_boolean(column.type):
            arrays.append(pc.cast(column, pa.int64()))
        else:
            arrays.append(column)
    return pa.Table.from_arrays(arrays, names=logical.column_names)


def for_postgres(name: str, logical: pa.Table) -> pa.Table:
    """Integers as wide as their column, decimals as NUMERIC, so that binary COPY accepts them."""
    table: Table = metadata.tables[name]
    arrays = []
    for column, array in zip(table.columns, logical.columns, strict=True):
        kind = column.type
        if isinstance(kind, ExactDecimal):
            array = pc.cast(array, pa.decimal128(kind.precision, kind.scale))
        elif isinstance(kind, SmallInteger):
            array = pc.cast(array, pa.int16())
        elif isinstance(kind, Integer) and not isinstance(kind, BigInteger):
            array = pc.cast(array, pa.int32())
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=logical.column_names)
