"""The printed documents keep every column on the page, amounts of a large customer included: real PDFs, read
back with the position of each piece of text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from operational_api.documents import (
    ChequeSlipData,
    ReceiptData,
    ReceiptLine,
    StatementData,
    cheque_slip_html,
    receipt_html,
    render_pdf,
    statement_html,
)

MM = 72 / 25.4  # PDF points per millimetre
PRINTED = dt.datetime(2026, 11, 29, 10, 15, tzinfo=dt.UTC)


def _times(first: list[float], second: list[float]) -> list[float]:
    a, b, c, d, e, f = first
    g, h, i, j, k, m = second
    return [a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + m]


def text_starts(pdf: bytes) -> list[tuple[int, float, float]]:
    """(page, page width, x) of the start of every piece of text the PDF draws, in points: each text box's own
    position from the page's content, in the coordinates of the page."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for number, page in enumerate(reader.pages):
        width = float(page.mediabox.width)
        matrix, saved, text_matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(matrix)
            elif operator == b"Q":
                matrix = saved.pop()
            elif operator == b"cm":
                matrix = _times([float(value) for value in operands], matrix)
            elif operator == b"Tm":
                text_matrix = [float(value) for value in operands]
            elif operator in (b"TJ", b"Tj"):
                found.append((number, width, _times(text_matrix, matrix)[4]))
    return found


def statement() -> StatementData:
    """A year of a large customer's bills, each of several millions of francs."""
    lines, balance = [], 0
    for month in range(1, 13):
        amount = 5_000_000 + 123_457 * month
        balance += amount
        number = f"F2025-{month * 9173:07d}"
        lines.append((dt.date(2025, month, 5), f"Facture n° {number}", number, amount, 0, balance))
    lines.append((dt.date(2025, 12, 20), "Paiement reçu n° R2025-GDK-0001234", "R2025-GDK-0001234", 0, 999_000, 0))
    return StatementData(
        utility="Yeelen — Distribution d'eau et d'électricité",
        customer_reference="C000012060",
        customer_name="Clinique Le Djolof",
        start=dt.date(2025, 1, 1),
        end=dt.date(2026, 1, 1),
        currency="XOF",
        opening_balance=124_312_608,
        lines=lines,
        closing_balance=124_312_608 + balance - 999_000,
        total_debit=balance,
        total_credit=999_000,
        printed_at=PRINTED,
        timezone="Africa/Dakar",
    )


@pytest.mark.parametrize(
    ("document", "size_mm", "last_header", "last_amount"),
    [
        (lambda: statement_html(statement()), 210, "Solde", "F CFA"),
        (
            lambda: cheque_slip_html(
                ChequeSlipData(
                    utility="Yeelen",
                    reference="RC-2026-GDK-0042",
                    agency="GDK",
                    bank="Banque Internationale pour le Commerce et l'Industrie du Sénégal",
                    deposit_date=dt.date(2026, 11, 27),
                    currency="XOF",
                    cheques=[
                        ("R2026-GDK-0001234", "Clinique Le Djolof — Société Anonyme", "0012345", "CBAO", 12_345_678)
                    ]
                    * 3,
                    total=37_037_034,
                    created_by="demo-supervisor",
                )
            ),
            210,
            "Montant",
            "F CFA",
        ),
        (
            lambda: receipt_html(
                ReceiptData(
                    utility="Yeelen",
                    receipt_number="R2026-GDK-0000001",
                    received_at=PRINTED,
                    timezone="Africa/Dakar",
                    agency="GDK",
                    cashier="demo-cashier",
                    customer_reference="C000012060",
                    customer_name="Clinique Le Djolof",
                    contract_reference=None,
                    method="cash",
                    purpose="invoices",
                    amount=50_000_000,
                    currency="XOF",
                    lines=[ReceiptLine("F2025-0001944", dt.date(2025, 4, 4), 50_000_000, 74_312_608)],
                    unallocated=0,
                    cheque=None,
                    status="posted",
                    duplicate=False,
                    printed_at=PRINTED,
                )
            ),
            148,
            "Reste dû",
            "F CFA",
        ),
    ],
    ids=["statement", "cheque-slip", "receipt"],
)
def test_every_column_is_printed_inside_the_page(document, size_mm, last_header, last_amount) -> None:
    pdf = render_pdf(document())
    starts = text_starts(pdf)
    assert len(starts) > 10, "the PDF draws its texts"
    assert {round(width / MM) for _, width, _ in starts} == {size_mm}
    # Every piece of text starts inside the page's margins (12 mm), those of the last column too.
    outside = [(page, round(x / MM)) for page, width, x in starts if not 11 * MM <= x <= width - 12 * MM]
    assert outside == []
    texts = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\u00a0", " ")
    assert last_header in texts and last_amount in texts
