"""The coarse land polygon of Dakar and the scattering of points on land."""

from __future__ import annotations

import numpy as np

from yeelen.demo.geography import DAKAR_LAND, distance_km, in_bounds, on_land, scatter
from yeelen.demo.network import split_sizes
from yeelen.demo.reference import AGENCIES, SUBSTATIONS
from yeelen.demo.streams import Stream, stream


def test_known_places_are_on_land_and_the_sea_is_not() -> None:
    for place in (*AGENCIES, *SUBSTATIONS):
        assert on_land(np.array([place.latitude]), np.array([place.longitude]))[0], place.name
    polygon = np.array(DAKAR_LAND)
    assert in_bounds(polygon[:, 0], polygon[:, 1]).all()
    # Baie de Hann, off the Corniche Ouest, off Yoff, south of Rufisque, off Cap Manuel.
    sea = np.array([[14.70, -17.40], [14.68, -17.48], [14.80, -17.45], [14.68, -17.27], [14.64, -17.43]])
    assert not on_land(sea[:, 0], sea[:, 1]).any()


def test_scatter_stays_on_land_near_its_centre() -> None:
    rng = stream(3, Stream.GEOGRAPHY)
    # Centres on the coast of the Plateau and of Yoff: many draws fall in the sea and are drawn again.
    lat = np.repeat([14.6600, 14.7600], 5_000)
    lon = np.repeat([-17.4340, -17.4700], 5_000)
    new_lat, new_lon = scatter(rng, lat, lon, 0.4, 1.0)
    assert on_land(new_lat, new_lon).all()
    assert distance_km(new_lat, new_lon, lat, lon).max() <= 1.0 + 1e-3
    # Hardly any point falls back to its centre after repeated draws at sea.
    assert ((new_lat == lat) & (new_lon == lon)).mean() < 0.01


def test_split_sizes_stay_within_bounds() -> None:
    rng = stream(1, Stream.NETWORK)
    for total in (50, 149, 150, 151, 260, 999, 12_345):
        parts = max(1, round(total / 100))
        sizes = split_sizes(rng, total, parts, 50, 150)
        assert sizes.sum() == total
        assert sizes.min() >= 50 and sizes.max() <= 150, (total, sizes)
