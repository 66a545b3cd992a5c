"""``yeelen tariff``: check tariff files and price a consumption or a prepaid purchase."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from yeelen.errors import InputRejectedError
from yeelen.tariffs.loader import bundled_book, load_books
from yeelen.tariffs.model import TariffBook

app = typer.Typer(help="Tariff grids: check files, quote a bill, vend prepaid energy.", no_args_is_help=True)

BookOption = typer.Option(None, "--book", help="Tariff file(s); the bundled grids when none is given")


def _book(paths: list[Path] | None) -> TariffBook:
    return load_books(paths) if paths else bundled_book()


def _decimal(text: str, what: str) -> Decimal:
    """A number as typed, with a decimal point or, as written in French, a decimal comma (12,5)."""
    if text.count(",") == 1 and "." not in text:
        whole, decimals = text.split(",")
        if len(decimals) == 3 and whole.lstrip("-").isdigit() and decimals.isdigit():
            # 1,000 is a thousand in English and one in French: ask rather than guess.
            raise InputRejectedError(
                f"{what}: {text!r} reads as a thousands separator or as a decimal comma; "
                f"write {whole}{decimals} or {whole}.{decimals}"
            )
        text = f"{whole}.{decimals}"
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputRejectedError(f"{what} must be a number, not {text!r}") from None


def _history(text: str | None) -> list[tuple[Decimal, int]]:
    """Earlier periods, 'consumption:months' separated by ',' (or by ';', which leaves the comma to decimals)."""
    if not text:
        return []
    items = [item.strip() for item in text.split(";" if ";" in text else ",")]
    periods = []
    for item in items:
        consumption, colon, months = item.partition(":")
        if not colon and any(":" in other for other in items):
            # '140,5:1,150:1' read with ',' between periods would be three periods: 140, 5 and 150.
            raise InputRejectedError(
                f"--history: the period {item!r} has no ':months' while others have; with a decimal comma, "
                "separate the periods with ';' (e.g. '140,5:1;150:1')"
            )
        if (months and not months.isdigit()) or months == "0":
            raise InputRejectedError(f"--history: the months of {item!r} must be a whole number of months")
        periods.append((_decimal(consumption, "a history consumption"), int(months or 1)))
    return periods


def _print(payload: dict) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@app.command()
def check(files: list[Path] = typer.Argument(..., help="Tariff files to validate")) -> None:
    """Validate tariff files; a malformed grid is refused with its line and the reason."""
    book = load_books(files)
    for grid in book.grids:
        versions = ", ".join(f"{v.valid_from}..{v.valid_to or ''}" for v in grid.versions)
        typer.echo(f"{grid.code:<14} {grid.commodity:<11} {len(grid.versions)} version(s): {versions}")
    typer.echo(f"OK: {len(book.grids)} grid(s), {len(book.categories)} category assignment(s)")


@app.command()
def quote(
    grid: str = typer.Option(..., help="Grid code, e.g. SENELEC_DPP"),
    consumption: str = typer.Option(..., help="Consumption over the period (kWh or m3)"),
    start: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="First day of the period"),
    end: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="Day after the last day of the period"),
    cycle: int = typer.Option(1, help="Months in the billing cycle (1 or 2)"),
    meter_type: str = typer.Option(None, help="single_phase, three_phase, mv or water"),
    power: str = typer.Option(None, help="Subscribed power (kVA, A, or mm for water)"),
    history: str = typer.Option(
        None, help="Earlier periods for eligibility, oldest first: '140:1,150:1' (or '140,5:1;150:1')"
    ),
    language: str = typer.Option("fr", help="fr or en"),
    book: list[Path] | None = BookOption,
) -> None:
    """Print the bill for a consumption over a period, line by line, as JSON."""
    from yeelen.tariffs.engine import quote as price

    result = price(
        _book(book),
        grid,
        _decimal(consumption, "--consumption"),
        start.date(),
        end.date(),
        cycle_months=cycle,
        meter_type=meter_type,
        subscribed_power=_decimal(power, "--power") if power else None,
        history=_history(history),
        language=language,
    )
    _print(result.as_dict())


@app.command()
def vend(
    grid: str = typer.Option(..., help="Grid code, e.g. SENELEC_DPP"),
    amount: str = typer.Option(..., help="Amount paid"),
    date: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="Purchase date"),
    bought: str = typer.Option("0", help="Energy already bought earlier this calendar month"),
    first: bool = typer.Option(True, "--first/--not-first", help="First purchase of the month (fee taken)"),
    meter_type: str = typer.Option(None, help="single_phase, three_phase, mv or water"),
    power: str = typer.Option(None, help="Subscribed power"),
    language: str = typer.Option("fr", help="fr or en"),
    book: list[Path] | None = BookOption,
) -> None:
    """Print the energy an amount buys on a prepaid meter, with its lines, as JSON."""
    from yeelen.tariffs.vending import vend as sell

    result = sell(
        _book(book),
        grid,
        _decimal(amount, "--amount"),
        date.date(),
        month_energy_before=_decimal(bought, "--bought"),
        first_purchase_of_month=first,
        meter_type=meter_type,
        subscribed_power=_decimal(power, "--power") if power else None,
        language=language,
    )
    _print(result.as_dict())


@app.command()
def load(files: list[Path] = typer.Argument(None, help="Tariff files (the bundled grids when none is given)")) -> None:
    """Store tariff files in the operational database; every version is kept, a loaded version never changes."""
    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.migrate import upgrade
    from operational_api.tariffs.service import save_book
    from yeelen.settings import get_settings

    settings = get_settings()
    book = _book(files)
    if book.currency != settings.currency:
        raise InputRejectedError(
            f"the tariff book is in {book.currency} but YEELEN_CURRENCY is {settings.currency}; they must agree"
        )
    upgrade(str(settings.operational_url))
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        report = save_book(session=session, book=book)
    engine.dispose()
    typer.echo(
        f"Grids added: {len(report.grids_added)}; versions added: {len(report.versions_added)}, "
        f"closed: {len(report.versions_closed)}, unchanged: {report.versions_unchanged}; "
        f"category assignments added: {report.categories_added}"
    )
