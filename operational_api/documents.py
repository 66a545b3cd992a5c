"""Printed documents: receipts (*reçus*), customer statements (*relevés de compte*), cheque deposit slips.

Documents are HTML rendered to PDF by WeasyPrint, with French labels and amounts written the French way
(``12 500 F CFA``). The HTML is built here from plain values, escaped, so a name can never inject markup.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from yeelen.settings import CURRENCY_PRECISION

# French typography separates thousands with a narrow no-break space.
THOUSANDS = "\u202f"
CURRENCY_LABELS = {"XOF": "F CFA", "XAF": "F CFA", "GNF": "GNF", "GMD": "GMD", "EUR": "€", "USD": "$", "MRU": "MRU"}
METHOD_LABELS = {
    "cash": "Espèces",
    "cheque": "Chèque",
    "mobile_money": "Mobile money",
    "transfer": "Virement",
    "card": "Carte",
}
PURPOSE_LABELS = {"invoices": "Règlement de factures", "advance": "Avance", "deposit": "Dépôt de garantie"}


def format_money(amount: int, currency: str) -> str:
    """An amount in minor units written the French way, with its currency: ``12 500 F CFA``, ``1 234,50 GMD``."""
    precision = CURRENCY_PRECISION.get(currency, 0)
    sign = "-" if amount < 0 else ""
    units, minor = divmod(abs(int(amount)), 10**precision)
    text = f"{units:,}".replace(",", THOUSANDS)
    if precision:
        text += "," + str(minor).zfill(precision)
    return f"{sign}{text}\u00a0{CURRENCY_LABELS.get(currency, currency)}"


def format_date(value: dt.date | None) -> str:
    """``31/03/2026``."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_moment(value: dt.datetime | None, timezone: str) -> str:
    """``31/03/2026 14:05`` in the utility's time zone."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M") if value else ""


# A receipt is an A5 slip; a statement or a deposit slip, whose tables carry several amounts of millions of francs
# side by side, an A4 page.
_PAGE = "@page {{ size: {size}; margin: 12mm; }}"
_STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 14pt; margin: 0 0 2mm 0; }
.utility { font-size: 10pt; font-weight: bold; }
.mark { position: fixed; top: 45mm; left: 0; right: 0; text-align: center; font-size: 40pt; color: #c00;
        opacity: 0.25; transform: rotate(-25deg); font-weight: bold; }
.banner { border: 2px solid #c00; color: #c00; font-weight: bold; text-align: center; padding: 1mm; margin: 2mm 0; }
table { width: 100%; border-collapse: collapse; margin-top: 3mm; }
th, td { border-bottom: 0.5pt solid #999; padding: 1mm; text-align: left; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
.total td { font-weight: bold; border-top: 1pt solid #111; }
.small { font-size: 8pt; color: #444; }
dl { display: grid; grid-template-columns: 35mm auto; margin: 2mm 0; }
dt { font-weight: bold; } dd { margin: 0; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _page(title: str, body: str, mark: str | None = None, size: str = "A5") -> str:
    watermark = f'<div class="mark">{_e(mark)}</div>' if mark else ""
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_PAGE.format(size=size)}{_STYLE}</style></head><body>{watermark}{body}</body></html>"
    )


def render_pdf(page: str) -> bytes:
    """Render an HTML page to PDF."""
    from weasyprint import HTML

    return HTML(string=page).write_pdf()


@dataclass(frozen=True)
class ReceiptLine:
    invoice_number: str
    due_date: dt.date
    amount: int
    open_after: int


@dataclass(frozen=True)
class ReceiptData:
    utility: str
    receipt_number: str
    received_at: dt.datetime
    timezone: str
    agency: str
    cashier: str
    customer_reference: str
    customer_name: str
    contract_reference: str | None
    method: str
    purpose: str
    amount: int
    currency: str
    lines: Sequence[ReceiptLine]
    unallocated: int
    cheque: str | None
    status: str
    duplicate: bool
    printed_at: dt.datetime


def receipt_html(data: ReceiptData) -> str:
    """The HTML of a receipt; reprints carry DUPLICATA, cancelled receipts ANNULÉ."""
    money = lambda amount: format_money(amount, data.currency)  # noqa: E731 - a local shorthand
    mark = "DUPLICATA" if data.duplicate else None
    banners = ""
    if data.duplicate:
        banners += '<div class="banner">DUPLICATA</div>'
    if data.status != "posted":
        status = {"cancelled": "ANNULÉ", "bounced": "CHÈQUE IMPAYÉ"}.get(data.status, data.status.upper())
        banners += f'<div class="banner">{_e(status)}</div>'
        mark = mark or status
    rows = "".join(
        f"<tr><td>{_e(line.invoice_number)}</td><td>{format_date(line.due_date)}</td>"
        f'<td class="amount">{_e(money(line.amount))}</td><td class="amount">{_e(money(line.open_after))}</td></tr>'
        for line in data.lines
    )
    table = (
        "<table><tr><th>Facture</th><th>Échéance</th><th class='amount'>Réglé</th>"
        f"<th class='amount'>Reste dû</th></tr>{rows}</table>"
        if data.lines
        else ""
    )
    advance = (
        f"<p>Montant non affecté (avance au compte) : <b>{_e(money(data.unallocated))}</b></p>"
        if data.unallocated
        else ""
    )
    cheque = f"<dt>Chèque</dt><dd>{_e(data.cheque)}</dd>" if data.cheque else ""
    contract = f"<dt>Police</dt><dd>{_e(data.contract_reference)}</dd>" if data.contract_reference else ""
    body = (
        f'<div class="utility">{_e(data.utility)}</div>'
        f"<h1>Reçu de paiement n° {_e(data.receipt_number)}</h1>{banners}"
        "<dl>"
        f"<dt>Date</dt><dd>{format_moment(data.received_at, data.timezone)}</dd>"
        f"<dt>Agence</dt><dd>{_e(data.agency)}</dd>"
        f"<dt>Caissier</dt><dd>{_e(data.cashier)}</dd>"
        f"<dt>Client</dt><dd>{_e(data.customer_reference)} — {_e(data.customer_name)}</dd>{contract}"
        f"<dt>Objet</dt><dd>{_e(PURPOSE_LABELS.get(data.purpose, data.purpose))}</dd>"
        f"<dt>Mode de paiement</dt><dd>{_e(METHOD_LABELS.get(data.method, data.method))}</dd>{cheque}"
        f"<dt>Montant reçu</dt><dd><b>{_e(money(data.amount))}</b></dd>"
        "</dl>"
        f"{table}{advance}"
        f'<p class="small">Imprimé le {format_moment(data.printed_at, data.timezone)}. '
        "Ce reçu vaut quittance sous réserve d'encaissement des chèques.</p>"
    )
    title = f"Reçu {data.receipt_number}" + (" DUPLICATA" if data.duplicate else "")
    return _page(title, body, mark)


@dataclass(frozen=True)
class StatementData:
    utility: str
    customer_reference: str
    customer_name: str
    start: dt.date
    end: dt.date
    currency: str
    opening_balance: int
    lines: Sequence[tuple[dt.date, str, str | None, int, int, int]]
    closing_balance: int
    total_debit: int
    total_credit: int
    printed_at: dt.datetime
    timezone: str


def statement_html(data: StatementData) -> str:
    """The HTML of a customer statement over ``[start, end)`` (shown with its last day)."""
    money = lambda amount: format_money(amount, data.currency)  # noqa: E731 - a local shorthand
    rows = "".join(
        f"<tr><td>{format_date(day)}</td><td>{_e(label)}</td><td>{_e(reference or '')}</td>"
        f'<td class="amount">{_e(money(debit)) if debit else ""}</td>'
        f'<td class="amount">{_e(money(credit)) if credit else ""}</td>'
        f'<td class="amount">{_e(money(balance))}</td></tr>'
        for day, label, reference, debit, credit, balance in data.lines
    )
    last_day = data.end - dt.timedelta(days=1)
    body = (
        f'<div class="utility">{_e(data.utility)}</div>'
        f"<h1>Relevé de compte</h1>"
        f"<dl><dt>Client</dt><dd>{_e(data.customer_reference)} — {_e(data.customer_name)}</dd>"
        f"<dt>Période</dt><dd>du {format_date(data.start)} au {format_date(last_day)}</dd></dl>"
        "<table><tr><th>Date</th><th>Libellé</th><th>Pièce</th><th class='amount'>Débit</th>"
        "<th class='amount'>Crédit</th><th class='amount'>Solde</th></tr>"
        f"<tr><td>{format_date(data.start)}</td><td>Solde d'ouverture</td><td></td><td></td><td></td>"
        f'<td class="amount">{_e(money(data.opening_balance))}</td></tr>'
        f"{rows}"
        f'<tr class="total"><td></td><td>Totaux et solde de clôture</td><td></td>'
        f'<td class="amount">{_e(money(data.total_debit))}</td><td class="amount">{_e(money(data.total_credit))}</td>'
        f'<td class="amount">{_e(money(data.closing_balance))}</td></tr></table>'
        '<p class="small">Solde positif : montant dû par le client. Solde négatif : crédit en faveur du client. '
        f"Édité le {format_moment(data.printed_at, data.timezone)}.</p>"
    )
    return _page(f"Relevé de compte {data.customer_reference}", body, size="A4")


@dataclass(frozen=True)
class ChequeSlipData:
    utility: str
    reference: str
    agency: str
    bank: str
    deposit_date: dt.date
    currency: str
    cheques: Sequence[tuple[str, str, str, str, int]]  # receipt, customer, cheque number, bank, amount
    total: int
    created_by: str


def cheque_slip_html(data: ChequeSlipData) -> str:
    """The HTML of a cheque deposit slip (*bordereau de remise de chèques*)."""
    money = lambda amount: format_money(amount, data.currency)  # noqa: E731 - a local shorthand
    rows = "".join(
        f"<tr><td>{_e(receipt)}</td><td>{_e(customer)}</td><td>{_e(number)}</td><td>{_e(bank)}</td>"
        f'<td class="amount">{_e(money(amount))}</td></tr>'
        for receipt, customer, number, bank, amount in data.cheques
    )
    body = (
        f'<div class="utility">{_e(data.utility)}</div>'
        f"<h1>Bordereau de remise de chèques n° {_e(data.reference)}</h1>"
        f"<dl><dt>Agence</dt><dd>{_e(data.agency)}</dd><dt>Banque</dt><dd>{_e(data.bank)}</dd>"
        f"<dt>Date de remise</dt><dd>{format_date(data.deposit_date)}</dd>"
        f"<dt>Établi par</dt><dd>{_e(data.created_by)}</dd></dl>"
        "<table><tr><th>Reçu</th><th>Client</th><th>N° chèque</th><th>Banque tirée</th>"
        f"<th class='amount'>Montant</th></tr>{rows}"
        f'<tr class="total"><td colspan="4">Total ({len(data.cheques)} chèques)</td>'
        f'<td class="amount">{_e(money(data.total))}</td></tr></table>'
    )
    return _page(f"Remise de chèques {data.reference}", body, size="A4")
