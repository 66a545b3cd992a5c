"""Driver errors turned into messages a reader can act on."""

from __future__ import annotations


def first_line(error: BaseException) -> str:
    """The first line of a driver error, without the driver's prefixes that say nothing to a reader."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    for prefix in ("IO: ", "INVALID_ARGUMENT: ", "INTERNAL: "):
        text = text.removeprefix(prefix)
    return text
