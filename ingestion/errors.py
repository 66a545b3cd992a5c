"""Driver errors turned into messages a reader can act on."""

from __future__ import annotations

import re

# ODBC errors (pyodbc) carry (SQLSTATE, "[SQLSTATE] [vendor][driver][server]message (native code) (ODBC call)").
_SQLSTATE = re.compile(r"[0-9A-Z]{5}")
_ODBC_TAGS = re.compile(r"^(?:\[[^\]]*\]\s*)+")
_ODBC_CALL = re.compile(r"\s*\(SQL\w+\)\s*$")


def first_line(error: BaseException) -> str:
    """The first line of a driver error, without the driver's prefixes that say nothing to a reader."""
    if odbc_sqlstate(error):
        lines = str(error.args[1]).strip().splitlines()
        text = _ODBC_CALL.sub("", _ODBC_TAGS.sub("", lines[0])) if lines else ""
        return text or str(error.args[0])
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    for prefix in ("IO: ", "INVALID_ARGUMENT: ", "INTERNAL: "):
        text = text.removeprefix(prefix)
    return text


def odbc_sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of an ODBC driver error (``08001``, ``22007``...), None for any other error."""
    args = error.args
    if len(args) == 2 and all(isinstance(arg, str) for arg in args) and _SQLSTATE.fullmatch(args[0]):
        return args[0]
    return None
