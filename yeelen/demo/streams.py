"""Independent random streams, one per part of the generation, all derived from the seed.

Each part draws from its own stream so that changing how one part draws leaves the others unchanged; within a
part, the order of draws is fixed, which makes a run reproducible for a seed.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """The parts of the generation that draw random numbers."""

    CUSTOMERS = 1
    NETWORK = 2
    GEOGRAPHY = 3
    DATES = 4
    IDENTITY = 5
    CONSUMPTION = 6
    THEFT = 7
    METERS = 8
    INTERVENTIONS = 9
    READINGS = 10
    LOSSES = 11
    TIMESTAMPS = 12
    PAYMENT = 13


def stream(seed: int, part: Stream, *more: int) -> np.random.Generator:
    """A PCG64 generator for one part of the generation (and optional sub-keys, e.g. a month)."""
    sequence = np.random.SeedSequence(entropy=int(seed), spawn_key=(int(part), *map(int, more)))
    return np.random.Generator(np.random.PCG64(sequence))
