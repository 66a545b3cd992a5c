"""The e-bill: an invoice as a PDF attached to its e-mail."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from operational_api.billing.models import Invoice, InvoiceLine
from operational_api.customers.models import Contract, Customer
from operational_api.documents import format_date, format_money, render_pdf

STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 3mm 0; }
table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
th, td { border-bottom: 0.5pt solid #999; padding: 1.2mm; text-align: left; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
.total td { font-weight: bold; border-top: 1pt solid #111; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def ebill_pdf(session: Session, invoice_id: int, utility: str) -> tuple[str, bytes]:
    """The file name and PDF of an invoice, as attached to its e-mail."""
    invoice, customer, contract = session.execute(
        select(Invoice, Customer, Contract)
        .join(Customer, Customer.id == Invoice.customer_id)
        .join(Contract, Contract.id == Invoice.contract_id)
        .where(Invoice.id == invoice_id)
    ).one()
    lines = session.scalars(
        select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.line_number)
    ).all()
    english = customer.language == "en"
    money = lambda amount: format_money(amount, invoice.currency)  # noqa: E731
    rows = "".join(
        f"<tr><td>{_e(line.label)}</td><td class='amount'>{_e(line.quantity if line.quantity is not None else '')}"
        f"</td><td class='amount'>{_e(money(line.amount))}</td></tr>"
        for line in lines
    )
    name = " ".join(part for part in (customer.first_name, customer.name) if part)
    page = (
        f"<!DOCTYPE html><html lang='{'en' if english else 'fr'}'><head><meta charset='utf-8'>"
        f"<title>{_e(invoice.number)}</title><style>{STYLE}</style></head><body>"
        f"<p><b>{_e(utility)}</b></p><h1>{'Bill' if english else 'Facture'} n° {_e(invoice.number)}</h1>"
        f"<p>{_e(name)} — {'customer' if english else 'client'} {_e(customer.reference)}<br>"
        f"{'Contract' if english else 'Contrat'} {_e(contract.reference)} — "
        f"{_e(format_date(invoice.period_start))} – {_e(format_date(invoice.period_end))} — "
        f"{_e(invoice.consumption)} {_e(invoice.unit)}{' (estimated)' if english and invoice.is_estimated else ''}"
        f"{' (estimée)' if not english and invoice.is_estimated else ''}</p>"
        f"<table><tr><th></th><th class='amount'>{'Quantity' if english else 'Quantité'}</th>"
        f"<th class='amount'>{'Amount' if english else 'Montant'}</th></tr>{rows}"
        f"<tr class='total'><td>Total</td><td></td><td class='amount'>{_e(money(invoice.total))}</td></tr></table>"
        f"<p>{'Due by' if english else 'À payer avant le'} {_e(format_date(invoice.due_date))}</p></body></html>"
    )
    return f"{invoice.number}.pdf", render_pdf(page)
