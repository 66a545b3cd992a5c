"""Errors of file intake that a user can act on."""

from __future__ import annotations

from yeelen.errors import InputRejectedError


class QuarantineRowNotFoundError(InputRejectedError):
    """No quarantined row has this id."""

    def __init__(self, row_id: int) -> None:
        super().__init__(f"No quarantined row {row_id}; `yeelen intake show <file id>` lists a file's rows.")


class QuarantineRowResolvedError(InputRejectedError):
    """The row left the quarantine already (loaded or discarded), or the request lacks what it needs."""

    def __init__(self, row_id: int, status: str, message: str | None = None) -> None:
        super().__init__(message or f"Quarantined row {row_id} is {status} already; only open rows change.")
