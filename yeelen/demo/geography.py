"""Where things are: a coarse land polygon of the Dakar region and scattering of points on land.

The polygon follows the coast of the Cap-Vert peninsula a few hundred metres inland, so a point inside it is on
land to the precision a demo needs; every generated coordinate is drawn inside it.
"""

from __future__ import annotations

import numpy as np

# (latitude, longitude) clockwise from the south of the Plateau, a few hundred metres inside the coastline.
DAKAR_LAND: tuple[tuple[float, float], ...] = (
    (14.6580, -17.4340),  # Plateau, north of Cap Manuel
    (14.6650, -17.4375),  # Anse Bernard
    (14.6810, -17.4540),  # Soumbédioune
    (14.6900, -17.4620),  # Fann, Corniche Ouest
    (14.7050, -17.4720),  # Mermoz
    (14.7180, -17.4900),  # Ouakam
    (14.7330, -17.5050),  # Mamelles
    (14.7430, -17.5190),  # Almadies
    (14.7490, -17.5080),  # Ngor
    (14.7550, -17.4900),  # Yoff Tonghor
    (14.7610, -17.4700),  # Yoff
    (14.7700, -17.4450),  # Cambérène
    (14.7760, -17.4250),
    (14.7870, -17.4000),  # Guédiawaye
    (14.7950, -17.3650),
    (14.8000, -17.3350),  # Malika
    (14.8120, -17.3000),
    (14.8300, -17.2500),  # towards Lac Rose
    (14.8250, -17.1700),
    (14.7800, -17.1200),  # Sébikotane
    (14.7350, -17.1150),
    (14.7050, -17.1650),  # south of Diamniadio
    (14.6990, -17.2250),  # Bargny
    (14.7100, -17.2620),  # Rufisque
    (14.7130, -17.2800),
    (14.7230, -17.3050),
    (14.7350, -17.3300),  # Mbao
    (14.7410, -17.3550),
    (14.7460, -17.3780),  # Thiaroye-sur-Mer
    (14.7410, -17.3970),
    (14.7330, -17.4180),
    (14.7250, -17.4320),  # Hann
    (14.7150, -17.4400),
    (14.7000, -17.4360),  # Bel-Air
    (14.6900, -17.4320),  # port
    (14.6720, -17.4290),
)
DAKAR_BOUNDS = {"min_lat": 14.64, "max_lat": 14.86, "min_lon": -17.54, "max_lon": -17.10}

KM_PER_DEGREE_LAT = 110.6
# At 14.7 degrees north.
KM_PER_DEGREE_LON = 107.7

_POLY = np.array(DAKAR_LAND)


def on_land(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """True where the point lies inside the Dakar land polygon (even-odd rule, vectorised over points)."""
    lat = np.asarray(latitude, dtype=float)
    lon = np.asarray(longitude, dtype=float)
    inside = np.zeros(lat.shape, dtype=bool)
    y1, x1 = _POLY[:, 0], _POLY[:, 1]
    y2, x2 = np.roll(y1, -1), np.roll(x1, -1)
    for a_lat, a_lon, b_lat, b_lon in zip(y1, x1, y2, x2, strict=True):
        crosses = (a_lat > lat) != (b_lat > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = a_lon + (lat - a_lat) * (b_lon - a_lon) / (b_lat - a_lat)
        inside ^= crosses & (lon < at)
    return inside


def scatter(
    rng: np.random.Generator,
    latitude: np.ndarray,
    longitude: np.ndarray,
    sigma_km: float | np.ndarray,
    max_km: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Points drawn around centres (Gaussian, truncated at ``max_km``), redrawn until they fall on land.

    Centres must be on land themselves: a point still at sea after a few draws falls back to its centre.
    """
    lat0 = np.asarray(latitude, dtype=float)
    lon0 = np.asarray(longitude, dtype=float)
    n = lat0.shape[0]
    sigma = np.broadcast_to(np.asarray(sigma_km, dtype=float), (n,))
    limit = np.broadcast_to(np.asarray(max_km, dtype=float), (n,))
    lat = lat0.copy()
    lon = lon0.copy()
    todo = np.arange(n)
    for _ in range(30):
        if todo.size == 0:
            break
        dy = rng.normal(0.0, 1.0, todo.size) * sigma[todo]
        dx = rng.normal(0.0, 1.0, todo.size) * sigma[todo]
        distance = np.hypot(dx, dy)
        shrink = np.where(distance > limit[todo], limit[todo] / np.maximum(distance, 1e-12), 1.0)
        lat[todo] = lat0[todo] + dy * shrink / KM_PER_DEGREE_LAT
        lon[todo] = lon0[todo] + dx * shrink / KM_PER_DEGREE_LON
        todo = todo[~on_land(lat[todo], lon[todo])]
    lat[todo] = lat0[todo]
    lon[todo] = lon0[todo]
    return np.round(lat, 6), np.round(lon, 6)


def distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Flat-earth distance in km, good enough inside one city."""
    return np.hypot((lat1 - lat2) * KM_PER_DEGREE_LAT, (lon1 - lon2) * KM_PER_DEGREE_LON)


def in_bounds(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """True where the point is inside the bounding box of the Dakar region."""
    lat = np.asarray(latitude)
    lon = np.asarray(longitude)
    b = DAKAR_BOUNDS
    return (lat >= b["min_lat"]) & (lat <= b["max_lat"]) & (lon >= b["min_lon"]) & (lon <= b["max_lon"])
