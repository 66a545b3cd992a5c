"""``yeelen demo generate`` on the command line: summary, refusal to overwrite, --replace."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from yeelen.cli import main

ARGS = ["demo", "generate", "--customers", "400", "--months", "6", "--seed", "3", "--end-month", "2025-06"]


def _customers(home: Path) -> list[tuple]:
    with sqlite3.connect(home / "operational.sqlite") as connection:
        return connection.execute("select id, name, created_at from customer order by id").fetchall()


def test_generate_refuse_then_replace(yeelen_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert "Demo utility generated" in out and "customer" in out and "reading" in out
    assert (yeelen_home / "demo" / "generation.json").exists()
    first = _customers(yeelen_home)
    assert len(first) == 400

    assert main(ARGS) == 2
    err = capsys.readouterr().err
    assert "already holds 400 customers" in err and "--replace" in err
    assert _customers(yeelen_home) == first

    assert main([*ARGS[:-4], "--seed", "4", "--end-month", "2025-06", "--replace"]) == 0
    replaced = _customers(yeelen_home)
    assert len(replaced) == 400 and replaced != first

    assert main([*ARGS, "--replace"]) == 0
    assert _customers(yeelen_home) == first


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--end-month", "2025-13"], "is not a month"),
        (["--customers", "10"], "--customers must be between"),
        (["--months", "0"], "--months must be between"),
    ],
)
def test_bad_arguments_get_a_clear_message(
    yeelen_home: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    args = ["demo", "generate", "--customers", "400", "--months", "6", "--seed", "1", *extra]
    assert main(args) == 2
    assert message in capsys.readouterr().err
