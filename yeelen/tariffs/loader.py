"""Loading tariff books from YAML files, refusing a malformed grid with the file, the line and the reason."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yeelen.errors import InputRejectedError
from yeelen.tariffs.model import TariffBook

BUNDLED = Path(__file__).resolve().parent / "grids"


class _DecimalLoader(yaml.SafeLoader):
    """YAML loader that reads numbers with a decimal point as exact decimals, never floats."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> decimal.Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a number", node.start_mark) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def _node_at(root: yaml.Node | None, location: tuple[Any, ...]) -> yaml.Node | None:
    """The deepest YAML node along a validation error's location."""
    node = root
    for key in location:
        if isinstance(node, yaml.MappingNode):
            match = next((value for name, value in node.value if name.value == key), None)
            if match is None:
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def _explain(path: Path, text: str, error: ValidationError) -> str:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = [f"{path}: the tariff file is not valid ({error.error_count()} problem(s)):"]
    for problem in error.errors():
        location = tuple(
            part for part in problem["loc"] if not isinstance(part, str) or not part.startswith("function")
        )
        node = _node_at(root, location)
        line = node.start_mark.line + 1 if node is not None else 1
        where = ".".join(str(part) for part in location) or "file"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  line {line} ({where}): {message}")
    return "\n".join(lines)


def load_book(path: str | Path) -> TariffBook:
    """Read and validate one tariff file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputRejectedError(f"{path}: cannot read the tariff file ({error.strerror})") from None
    try:
        data = yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        reason = getattr(error, "problem", None) or str(error)
        raise InputRejectedError(f"{path}: not valid YAML at {where}: {reason}") from None
    if not isinstance(data, dict):
        raise InputRejectedError(f"{path}: line 1: a tariff file is a mapping with currency, precision and grids")
    try:
        return TariffBook.model_validate(data)
    except ValidationError as error:
        raise InputRejectedError(_explain(path, text, error)) from None


def load_books(paths: Iterable[str | Path]) -> TariffBook:
    """Several tariff files merged into one book (grids and category assignments from every file)."""
    books = [load_book(path) for path in paths]
    if not books:
        raise InputRejectedError("no tariff file given")
    merged = books[0]
    for book in books[1:]:
        try:
            merged = merged.merged(book)
        except ValueError as error:
            raise InputRejectedError(str(error)) from None
    return merged


def bundled_book() -> TariffBook:
    """The reference grids shipped with the product (Senelec, SEN'EAU and the demo utility's own grids)."""
    return load_books(sorted(BUNDLED.glob("*.yaml")))
