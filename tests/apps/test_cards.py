"""Metric cards sit a few to a row, so that an amount in francs is shown whole, never cut short."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def five_cards() -> None:
    import sys

    from tests.apps.conftest import APP_DIR

    sys.path.insert(0, str(APP_DIR))
    from ui import card_grid

    for number, card in enumerate(card_grid(5)):
        card.metric(f"card {number}", "1 234 567 890 F CFA")
    for number, card in enumerate(card_grid(4, per_row=2)):
        card.metric(f"pair {number}", "12 345 678 F CFA")


def test_cards_run_a_few_to_a_row_in_their_order() -> None:
    app = AppTest.from_function(five_cards).run()
    assert not app.exception
    rows = [
        [[metric.label for metric in column.metric] for column in block.children.values()]
        for block in app.main.children.values()
    ]
    assert rows == [
        [["card 0"], ["card 1"], ["card 2"]],
        [["card 3"], ["card 4"], []],
        [["pair 0"], ["pair 1"]],
        [["pair 2"], ["pair 3"]],
    ]
