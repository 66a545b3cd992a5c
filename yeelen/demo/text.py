"""Vectorised text building on Arrow string arrays: names, references, addresses, phone numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Part = pa.Array | str


def pick(values: Sequence[str] | pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]`` as an Arrow string array."""
    vocabulary = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return vocabulary.take(pa.array(np.asarray(index, dtype=np.int64)))


def number(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as text, left-padded with zeros to ``width``."""
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(text, width, "0") if width else text


def concat(*parts: Part) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    arguments = [pa.scalar(part, pa.string()) if isinstance(part, str) else part for part in parts]
    if not any(isinstance(part, pa.Array) for part in arguments):
        raise ValueError("at least one part must be an array")
    return pc.binary_join_element_wise(*arguments, "")


def where(condition: np.ndarray, when_true: Part, when_false: Part | None) -> pa.Array:
    """Choose element-wise between two string arrays (or literals); ``None`` gives nulls."""
    a = pa.scalar(when_true, pa.string()) if isinstance(when_true, str) else when_true
    b = pa.scalar(when_false, pa.string()) if isinstance(when_false, str | None) else when_false
    return pc.if_else(pa.array(np.asarray(condition, dtype=bool)), a, b)


def assemble(pieces: Sequence[tuple[np.ndarray, pa.Array]], size: int) -> pa.Array:
    """Put string arrays computed for disjoint groups of rows back in row order."""
    if not pieces:
        return pa.nulls(size, pa.string())
    rows = np.concatenate([np.asarray(index, dtype=np.int64) for index, _ in pieces])
    if rows.size != size or np.unique(rows).size != size:
        raise ValueError("the groups must cover every row exactly once")
    values = pa.concat_arrays([piece.cast(pa.string()) for _, piece in pieces])
    return values.take(pa.array(np.argsort(rows, kind="stable")))


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, as in an e-mail address."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def weighted(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Indices drawn with the given relative weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=size, p=p / p.sum())
