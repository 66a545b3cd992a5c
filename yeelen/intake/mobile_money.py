"""Mobile money statements dropped in the inbox: the partner's daily statement, kept for reconciliation.

The file is named ``<PARTNER>_<YYYY-MM-DD>.csv`` (the partner's code and the statement's day) and holds the
columns of the statement the API imports (``docs/formats.md``, "Mobile money statement"). Each line is checked by
the same rules as the API's import, one line at a time, so a bad line is held back with its reason instead of
refusing the file; the good lines become the partner's statement of the day through the mobile money service. A
replayed line joins the statement it belongs to. A file with its header alone is the partner's statement of a day
without transactions: it is recorded, empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select

from operational_api.auth.principal import Principal
from operational_api.auth.rights import Role
from operational_api.errors import ApiError
from operational_api.mobile_money import service as mobile_money
from operational_api.mobile_money.models import PartnerStatementLine
from yeelen.intake.files import UnreadableFileError
from yeelen.intake.kind import LoadContext, LoadResult
from yeelen.settings import Settings

COLUMNS = (*mobile_money.STATEMENT_COLUMNS, *mobile_money.OPTIONAL_COLUMNS)
NAME = re.compile(r"^(?P<partner>[A-Za-z0-9_\-]+?)_(?P<day>\d{4}-\d{2}-\d{2})$")


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(name, "") for name in COLUMNS])
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class MobileMoneyStatementKind:
    """A mobile money operator's statement of one day."""

    name: str = "mobile_money_statement"
    label: str = "Mobile money statements"
    required: tuple[str, ...] = mobile_money.STATEMENT_COLUMNS
    optional: tuple[str, ...] = mobile_money.OPTIONAL_COLUMNS
    # A day without a transaction is a header alone, the same bytes every such day: the name tells them apart.
    identity_includes_name: bool = True

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        match = NAME.match(path.stem)
        if not match:
            raise UnreadableFileError(
                f"{path.name}: a statement's name says whose and which day it is, <PARTNER>_<YYYY-MM-DD>.csv "
                "(e.g. MTN_MOMO_2026-03-01.csv)"
            )
        try:
            day = dt.date.fromisoformat(match["day"])
        except ValueError:
            raise UnreadableFileError(f"{path.name}: {match['day']} is not a date") from None
        return {"partner": match["partner"].upper(), "statement_date": day.isoformat()}

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        session, settings = context.session, context.settings
        partner_code = context.details["partner"]
        day = dt.date.fromisoformat(context.details["statement_date"])
        try:
            partner = mobile_money.find_partner(session=session, code=partner_code)
        except ApiError as error:
            raise UnreadableFileError(f"{context.file_name}: {error.message}") from None
        statement = mobile_money.current_statement(session=session, partner_id=partner.id, statement_date=day)
        if statement is not None and not context.replay:
            raise UnreadableFileError(
                f"a statement of {partner_code} for {day} was already imported; statements are kept as received "
                "(a corrected statement from the partner is imported by a supervisor as a correction, "
                f"POST /mobile-money/partners/{partner_code}/statements/{day}/corrections, with the partner's reason)"
            )
        result = LoadResult()
        good: list[dict] = []
        parsed: list[dict] = []
        seen: dict[str, int] = {}
        known = set()
        if statement is not None:
            known = set(
                session.scalars(
                    select(PartnerStatementLine.reference_id).where(PartnerStatementLine.statement_id == statement.id)
                )
            )
        for row in rows.to_pylist():
            line = row["line"]
            try:
                [item] = mobile_money.parse_statement(_csv([row]), settings)
            except ApiError as error:
                result.held[line] = error.message.split("imported: ", 1)[-1].removeprefix("line 2: ")
                continue
            reference = item["reference_id"]
            if reference in seen:
                result.held[line] = f"reference_id {reference} already on line {seen[reference]}"
                continue
            if reference in known:
                result.held[line] = f"reference_id {reference} is already in the statement of {day}"
                continue
            seen[reference] = line
            good.append(row)
            parsed.append(item | {"line_number": line})
        # A header and no line is the partner saying that nothing happened that day: an empty statement, against
        # which every payment we recorded that day is missing on their side.
        empty_day = not rows.num_rows and not context.unread_lines and not context.replay
        if not parsed and not empty_day:
            return result
        if statement is None:
            principal = Principal(kind="system", id=0, login=context.actor[:60], role=Role.ADMIN, agency_ids=None)
            statement, _ = mobile_money.import_statement(
                session=session,
                principal=principal,
                settings=settings,
                partner_code=partner_code,
                statement_date=day,
                content=_csv(good),
            )
            # The statement keeps the lines' numbers in the file the partner sent.
            session.flush()
            stored = session.scalars(
                select(PartnerStatementLine)
                .where(PartnerStatementLine.statement_id == statement.id)
                .order_by(PartnerStatementLine.line_number)
            ).all()
            # Renumbered through negative numbers: with a line held before others, a line's number in the file is
            # the next stored line's number, and the statement's line numbers are unique at every row written.
            for line in stored:
                line.line_number = -line.line_number
            session.flush()
            for line, item in zip(stored, parsed, strict=True):
                line.line_number = item["line_number"]
        else:
            session.add_all([PartnerStatementLine(statement_id=statement.id, **item) for item in parsed])
            session.flush()
            line_count, total = session.execute(
                select(
                    func.count(),
                    func.coalesce(
                        func.sum(PartnerStatementLine.amount).filter(PartnerStatementLine.status == "SUCCESSFUL"), 0
                    ),
                ).where(PartnerStatementLine.statement_id == statement.id)
            ).one()
            statement.line_count, statement.total = int(line_count), int(total)
            statement.checksum = hashlib.sha256(f"{statement.checksum}+{context.file_id}".encode()).hexdigest()
        result.loaded = len(parsed)
        result.metadata = {"statement_id": statement.id, "lines": len(parsed)}
        return result
