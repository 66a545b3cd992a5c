"""The kinds of files the product takes, by name and by inbox folder."""

from __future__ import annotations

from yeelen.errors import InputRejectedError
from yeelen.intake.kind import FileKind


def inbox_kinds() -> dict[str, FileKind]:
    """Kinds of files partners drop in the inbox, by the name of their folder."""
    from yeelen.intake.bank import BankStatementKind
    from yeelen.intake.mobile_money import MobileMoneyStatementKind
    from yeelen.intake.prepaid import PrepaidVendingKind
    from yeelen.intake.readings import ReadingsKind

    return {
        "readings": ReadingsKind(),
        "bank": BankStatementKind(),
        "mobile_money": MobileMoneyStatementKind(),
        "prepaid": PrepaidVendingKind(),
    }


def all_kinds() -> dict[str, FileKind]:
    """Every kind of file by its name: the inbox's and the data migration's."""
    from yeelen.migration.entities import import_kinds

    kinds = {kind.name: kind for kind in inbox_kinds().values()}
    kinds.update({kind.name: kind for kind in import_kinds()})
    return kinds


def kind_named(name: str) -> FileKind:
    """The kind of file called ``name``."""
    kinds = all_kinds()
    if name not in kinds:
        raise InputRejectedError(f"unknown kind of file {name!r}; known kinds: {', '.join(sorted(kinds))}")
    return kinds[name]


def inbox_kind(name: str) -> FileKind:
    """An inbox kind by its folder name (``bank``) or its own name (``bank_statement``), as users type either."""
    kinds = inbox_kinds()
    found = kinds.get(name) or next((kind for kind in kinds.values() if kind.name == name), None)
    if found is None:
        known = ", ".join(f"{folder} ({kind.name})" for folder, kind in kinds.items())
        raise InputRejectedError(f"unknown kind of file {name!r}; the inbox kinds are {known}")
    return found


def file_kind(name: str) -> FileKind:
    """Any kind of file by its name, or an inbox kind by its folder name."""
    folders = inbox_kinds()
    return folders[name] if name in folders else kind_named(name)
