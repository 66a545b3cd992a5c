"""Reading one field of a partner's row: dates, moments, amounts and quantities, with the reason when it is wrong.

Each reader raises ``ValueError`` with a message that names the field and what is expected; kinds of files turn it
into the row's quarantine reason.
"""

from __future__ import annotations

import datetime as dt
import decimal
from zoneinfo import ZoneInfo


def text(row: dict, name: str, required: bool = True, max_length: int | None = None) -> str | None:
    """A text field, trimmed; empty is None (refused when required)."""
    value = (row.get(name) or "").strip()
    if not value:
        if required:
            raise ValueError(f"{name} is empty")
        return None
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} is longer than {max_length} characters")
    return value


def date(row: dict, name: str, required: bool = True) -> dt.date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY."""
    value = text(row, name, required)
    if value is None:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{name} {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def moment(row: dict, name: str, timezone: str, required: bool = True) -> dt.datetime | None:
    """A date and time in ISO 8601, UTC when it carries a zone, the utility's local time when it does not."""
    value = text(row, name, required)
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dt.datetime.strptime(value, "%d/%m/%Y %H:%M")
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a date and time (2026-03-01T10:15:00Z)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed.astimezone(dt.UTC)


def amount(row: dict, name: str, precision: int, required: bool = True, positive: bool = True) -> int | None:
    """An amount in currency units (``5000``, ``12.50``, ``12,50``) as integer minor units, exactly."""
    value = text(row, name, required)
    if value is None:
        return None
    cleaned = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise ValueError(f"{name} {value!r} is not an amount") from None
    minor = number.scaleb(precision)
    if minor != minor.to_integral_value():
        raise ValueError(f"{name} {value!r} has more than {precision} decimal(s)")
    if positive and number <= 0:
        raise ValueError(f"{name} {value!r} is not positive")
    return int(minor)


def quantity(
    row: dict, name: str, scale: int, required: bool = True, minimum: int | None = 0
) -> decimal.Decimal | None:
    """A decimal quantity with at most ``scale`` decimals (energy in kWh, power in kVA)."""
    value = text(row, name, required)
    if value is None:
        return None
    try:
        number = decimal.Decimal(value.replace(",", "."))
    except decimal.InvalidOperation:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not number.is_finite() or number != number.quantize(decimal.Decimal(1).scaleb(-scale)):
        raise ValueError(f"{name} {value!r} has more than {scale} decimal(s)")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} {value!r} is below {minimum}")
    return number


def integer(row: dict, name: str, required: bool = True, minimum: int | None = 0) -> int | None:
    """A whole number."""
    value = text(row, name, required)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} {value!r} is below {minimum}")
    return number


def choice(row: dict, name: str, choices: tuple[str, ...], required: bool = True, default: str | None = None) -> str:
    """One of a few codes."""
    value = text(row, name, required=required and default is None)
    if value is None:
        return default  # type: ignore[return-value]
    if value not in choices:
        raise ValueError(f"{name} {value!r} is not one of {', '.join(choices)}")
    return value


def local_today(timezone: str) -> dt.date:
    """Today in the utility's time zone."""
    return dt.datetime.now(ZoneInfo(timezone)).date()
