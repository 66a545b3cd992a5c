"""The energy balance of a small utility: it adds up, and a customer mapped to the wrong transformer shows."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import select, update

from operational_api.customers.models import Contract, DeliveryPoint
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.network.models import Transformer
from tests.losses.utility import MODELS, Utility, utility_under
from yeelen.demo.truth import read_transformer_truth

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def utility(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Utility]:
    with utility_under(tmp_path_factory.mktemp("balance") / "var", 1500, 8, 2, "2026-08") as prepared:
        yield prepared


def _balances(utility: Utility) -> pd.DataFrame:
    return utility.query(
        "select balance_level, equipment_id, period_start, delivered, consumed, loss, technical_loss,"
        " non_technical_loss, loss_share, is_trusted, is_mapping_suspect, mapping_anomalies, latitude, agency_id"
        " from marts.fct_energy_balance"
    )


def test_every_level_is_balanced_and_placed(utility: Utility) -> None:
    balances = _balances(utility)
    assert set(balances["balance_level"]) == {"transformer", "feeder", "substation", "water_district"}
    assert balances["latitude"].notna().all() and balances["agency_id"].notna().all()
    trusted = balances[balances["is_trusted"]]
    assert len(trusted) > len(balances) / 2
    electricity = trusted[trusted["balance_level"] == "transformer"]
    # Technical losses of a few percent; customers never consume more than was delivered.
    assert 0.0 < electricity["loss"].sum() / electricity["delivered"].sum() < 0.25
    assert not balances["is_mapping_suspect"].any(), "the generated network maps every customer right"
    lossy = set(read_transformer_truth(utility.demo_dir).query("is_lossy")["transformer_id"])
    worst = (
        electricity.groupby("equipment_id")[["non_technical_loss", "delivered"]]
        .sum()
        .eval("non_technical_loss / delivered")
        .sort_values(ascending=False)
    )
    assert set(worst.index[: len(lossy)]) == lossy


def test_a_customer_mapped_to_the_wrong_transformer_flags_both_transformers(utility: Utility) -> None:
    engine = make_engine(str(utility.settings.operational_url))
    with session_factory(engine)() as session:
        transformers = {row.id: row for row in session.scalars(select(Transformer))}
        # The biggest low-voltage customer, moved to the transformer farthest from its own.
        contract_id = utility.query(
            "select contract_id from marts.fct_consumption where commodity = 'electricity' and category <> 'MT'"
            " group by contract_id order by sum(consumption) desc limit 1"
        )["contract_id"].iloc[0]
        contract = session.get(Contract, int(contract_id))
        point = session.get(DeliveryPoint, contract.delivery_point_id)
        source = transformers[point.transformer_id]
        target = max(
            transformers.values(),
            key=lambda item: (item.latitude - source.latitude) ** 2 + (item.longitude - source.longitude) ** 2,
        )
        delivery_point_id = point.id
    with unit_of_work(session_factory(engine)) as session:
        session.execute(
            update(DeliveryPoint)
            .where(DeliveryPoint.id == delivery_point_id)
            .values(transformer_id=target.id, feeder_id=target.feeder_id)
        )
    engine.dispose()

    utility.ingest()
    utility.build(["stg_operational__delivery_points", *MODELS])
    balances = _balances(utility)
    transformers_flagged = set(
        balances.query("balance_level == 'transformer' and is_mapping_suspect")["equipment_id"].unique()
    )
    assert transformers_flagged == {source.id, target.id}
    for involved in (source.id, target.id):
        rows = balances[(balances["balance_level"] == "transformer") & (balances["equipment_id"] == involved)]
        assert rows["is_mapping_suspect"].all() and not rows["is_trusted"].any()
        assert (rows["mapping_anomalies"] == 1).all()
    anomalies = utility.query("select * from marts.rpt_network_mapping_anomalies")
    assert anomalies["contract_id"].tolist() == [contract_id]
    assert anomalies["transformer_id"].tolist() == [target.id]
    assert anomalies["nearest_transformer_id"].tolist() == [source.id]
    assert anomalies["transformer_distance_m"].iloc[0] > 1000 > anomalies["nearest_distance_m"].iloc[0]
