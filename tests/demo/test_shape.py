"""The generated utility looks like a Dakar distributor: network, customers, categories, places."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tests.demo.conftest import CUSTOMERS, Demo
from yeelen.demo.geography import distance_km, in_bounds, on_land
from yeelen.demo.population import agency_count, substation_count
from yeelen.demo.reference import (
    AGENCIES,
    LAST_NAMES,
    MINISTRIES,
    PUBLIC_BODIES,
    PUBLIC_MV_BODIES,
    SUBSTATIONS,
    TRANSFORMER_RATINGS_KVA,
)

PHONE = re.compile(r"^\+221 (7[05678] \d{3} \d{2} \d{2}|33 8\d{2} \d{2} \d{2})$")


def test_row_counts_match_the_report(demo: Demo) -> None:
    for name, count in demo.report.counts.items():
        assert int(demo.frame(f"select count(*) as n from {name}").n[0]) == count, name
    assert demo.report.counts["customer"] == CUSTOMERS


def test_agencies_and_substations_scale_with_the_utility(demo: Demo) -> None:
    agencies = demo.table("agency")
    known = {place.code: place for place in AGENCIES}
    assert len(agencies) == agency_count(CUSTOMERS)
    assert all(known[code].name in name for code, name in zip(agencies.code, agencies.name, strict=True))
    assert set(demo.table("substation").code) <= {s.code for s in SUBSTATIONS}
    assert len(demo.table("substation")) == substation_count(CUSTOMERS)
    assert agency_count(1_000) <= 3 < agency_count(100_000) < agency_count(1_000_000) == len(AGENCIES)
    assert substation_count(1_000) <= 2 and substation_count(1_000_000) == len(SUBSTATIONS)


def test_every_transformer_carries_50_to_150_low_voltage_customers(demo: Demo) -> None:
    load = demo.frame(
        "select t.id, t.rating_kva, count(d.id) as customers from transformer t"
        " left join delivery_point d on d.transformer_id = t.id group by t.id, t.rating_kva"
    )
    assert load.customers.between(50, 150).all(), load.customers.describe()
    assert set(load.rating_kva) <= set(TRANSFORMER_RATINGS_KVA)
    assert load.rating_kva.nunique() >= 2


def test_electrical_address_of_every_premises(demo: Demo) -> None:
    points = demo.frame(
        "select d.*, c.category, t.feeder_id as transformer_feeder from delivery_point d"
        " join contract c on c.delivery_point_id = d.id left join transformer t on t.id = d.transformer_id"
    )
    electricity = points[points.commodity == "electricity"]
    assert electricity.feeder_id.notna().all()
    mv = electricity[electricity.category == "MT"]
    assert len(mv) >= 3
    assert mv.transformer_id.isna().all()
    low = electricity[electricity.category != "MT"]
    assert low.transformer_id.notna().all()
    assert (low.feeder_id == low.transformer_feeder).all()
    water = points[points.commodity == "water"]
    assert water.water_district_id.notna().all()
    assert water.feeder_id.isna().all() and water.transformer_id.isna().all()
    districts = demo.frame("select agency_id, count(*) as n from water_district group by agency_id")
    assert districts.n.between(1, 3).all()


def test_category_shares_near_the_targets(demo: Demo) -> None:
    contracts = demo.table("contract")
    electricity = contracts[contracts.commodity == "electricity"].category.value_counts(normalize=True)
    targets = {"DOM_SOCIAL": 0.30, "DOM": 0.48, "PRO": 0.15, "ADM": 0.04, "EP": 0.01}
    for category, share in targets.items():
        assert abs(electricity[category] - share) < max(0.03, share * 0.5), (category, electricity[category])
    assert 0 < electricity["MT"] < 0.01
    customers_with_water = contracts[contracts.commodity == "water"].customer_id.nunique() / CUSTOMERS
    assert 0.15 < customers_with_water < 0.26
    both = contracts.groupby("customer_id").commodity.nunique()
    domestic = contracts[contracts.category.isin(["DOM", "DOM_SOCIAL"])].customer_id
    assert 0.06 < (both[domestic] == 2).mean() < 0.14
    assert set(contracts[contracts.commodity == "water"].category) == {"EAU_DOM", "EAU_PRO", "EAU_ADM"}


def test_billing_cycles_powers_and_statuses(demo: Demo) -> None:
    contracts = demo.table("contract")
    cycles = contracts.groupby("category").billing_cycle.agg(set)
    assert cycles["DOM"] == {"monthly", "bimonthly"} and cycles["DOM_SOCIAL"] == {"monthly", "bimonthly"}
    assert 0.5 < (contracts[contracts.category == "DOM"].billing_cycle == "bimonthly").mean() < 0.7
    for category in ("PRO", "ADM", "EP", "MT"):
        assert cycles[category] == {"monthly"}
    assert cycles["EAU_DOM"] == {"bimonthly"}
    power = contracts.subscribed_power.astype(float)
    assert set(power[contracts.category == "DOM_SOCIAL"]) == {3.0}
    assert set(power[contracts.category == "DOM"]) <= {6.0, 9.0, 12.0, 15.0}
    assert power[contracts.category == "MT"].between(100, 1000).all()
    assert power[contracts.category == "PRO"].max() > 36
    assert set(contracts[contracts.commodity == "water"].power_unit) == {"mm"}
    assert set(contracts[contracts.commodity == "electricity"].power_unit) == {"kVA"}
    assert set(contracts.payment_mode) == {"postpaid"}
    horizon_start = demo.report.horizon_start.isoformat()
    assert (contracts.start_date >= horizon_start).sum() > 0, "some contracts start during the horizon"
    terminated = contracts[contracts.status == "terminated"]
    assert len(terminated) > 0 and terminated.end_date.notna().all()
    assert (terminated.end_date > terminated.start_date).all()
    assert contracts[contracts.status == "active"].end_date.isna().all()


def test_customers_have_senegalese_names_and_phone_numbers(demo: Demo) -> None:
    customers = demo.table("customer")
    people = customers[customers.kind == "person"]
    assert set(people.name) <= {name for name, _ in LAST_NAMES}
    assert people.first_name.notna().all()
    assert {"Diop", "Ndiaye", "Fall"} <= set(people.name)
    phones = customers.phone.dropna()
    assert len(phones) > 0.8 * len(customers)
    assert phones.map(lambda phone: bool(PHONE.match(phone))).all()
    assert {"77", "78", "76", "70"} <= set(phones.str[5:7])
    companies = customers[customers.kind == "company"].name
    assert companies.str.contains("Boulangerie|Quincaillerie|Pharmacie|Hôtel").any()
    public = customers[customers.kind == "public_body"]
    assert {"ETAT", "COMMUNE"} <= set(public.grouping_code)
    bodies = "|".join(
        text.split(" {")[0] for text, _ in PUBLIC_BODIES + PUBLIC_MV_BODIES + tuple((m, "") for m in MINISTRIES)
    )
    assert public.name.str.match(f"^({bodies}|Commune de .* - Éclairage public)").all()
    assert customers.reference.is_unique


def test_every_point_is_on_land_in_the_dakar_region(demo: Demo) -> None:
    frames = {
        "delivery_point": demo.table("delivery_point"),
        "transformer": demo.table("transformer"),
        "water_district": demo.table("water_district"),
        "substation": demo.table("substation"),
    }
    for name, frame in frames.items():
        lat, lon = frame.latitude.to_numpy(), frame.longitude.to_numpy()
        assert in_bounds(lat, lon).all(), name
        assert on_land(lat, lon).all(), name


def test_network_is_laid_out_geographically(demo: Demo) -> None:
    transformers = demo.frame(
        "select t.*, a.code as agency from transformer t join agency a on a.id = t.agency_id order by t.id"
    )
    centres = {place.code: place for place in AGENCIES}
    lat0 = transformers.agency.map(lambda code: centres[code].latitude)
    lon0 = transformers.agency.map(lambda code: centres[code].longitude)
    assert (distance_km(transformers.latitude, transformers.longitude, lat0, lon0) < 4).all()
    feeder_centre = transformers.groupby("feeder_id")[["latitude", "longitude"]].transform("mean")
    spread = distance_km(transformers.latitude, transformers.longitude, feeder_centre.latitude, feeder_centre.longitude)
    assert spread.max() < 2.5
    points = demo.frame(
        "select d.latitude, d.longitude, t.latitude as t_lat, t.longitude as t_lon from delivery_point d"
        " join transformer t on t.id = d.transformer_id"
    )
    gap = distance_km(points.latitude, points.longitude, points.t_lat, points.t_lon)
    assert gap.max() <= 0.36 and np.median(gap) < 0.2


def test_consumption_in_the_range_of_real_bills(real_steps: pd.DataFrame) -> None:
    steps = real_steps[(real_steps.step >= 0) & (real_steps.days >= 25)]
    monthly = steps.step * steps.multiplier / steps.days * 30.4
    median = monthly.groupby(steps.category).median()
    assert 150 < median["DOM"] < 300
    assert 60 < median["DOM_SOCIAL"] < 120
    assert monthly[steps.category == "DOM_SOCIAL"].quantile(0.95) < 160
    assert median["PRO"] > median["DOM"]
    assert median["MT"] > 10_000
    water = monthly[steps.category == "EAU_DOM"] * 2
    assert 10 < water.median() < 40


def test_hot_season_raises_electricity_use(demo: Demo) -> None:
    truth = pd.read_parquet(demo.demo_dir / "ground_truth_transformer_months.parquet")
    by_month = truth.groupby(pd.to_datetime(truth.month).dt.month).true_consumption.sum()
    assert by_month[[7, 8, 9]].mean() > 1.1 * by_month[[1, 2, 3]].mean()


def test_second_contract_is_on_the_same_premises(demo: Demo) -> None:
    points = demo.frame(
        "select c.customer_id, c.commodity, d.address, d.latitude, d.longitude from contract c"
        " join delivery_point d on d.id = c.delivery_point_id"
    )
    both = points.groupby("customer_id").commodity.transform("nunique") == 2
    pairs = (
        points[both].groupby("customer_id").agg({"address": "nunique", "latitude": "nunique", "longitude": "nunique"})
    )
    assert len(pairs) > 50
    assert (pairs == 1).all().all()
    customers = demo.table("customer")
    emails = customers.dropna(subset=["email"])
    assert emails.email.str.match(r"^[a-z0-9.]+@[a-z.]+$").all()
