"""How each customer pays, kept for the payment simulation that comes with billing.

About 55 % pay on time, 25 % late, 12 % partly and 8 % never; public bodies pay late more often than others.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from yeelen.demo.identity import KINDS, PUBLIC_BODY
from yeelen.demo.reference import PAYMENT_BEHAVIOURS, PAYMENT_CHANNELS
from yeelen.demo.registry import Registry
from yeelen.demo.streams import Stream, stream
from yeelen.demo.text import pick, weighted

# Typical delay after the due date: lognormal median and spread, and bounds in days.
DELAYS = {"on_time": (4.0, 0.6, 0, 14), "late": (40.0, 0.5, 15, 180), "partial": (20.0, 0.6, 5, 90)}


def payment_profiles(seed: int, registry: Registry) -> pa.Table:
    """One row per customer: behaviour, typical delay in days, share of each bill paid, preferred channel."""
    rng = stream(seed, Stream.PAYMENT)
    n = registry.customers
    kind = registry.identities.kind
    names = [name for name, _ in PAYMENT_BEHAVIOURS]
    behaviour = weighted(rng, [share for _, share in PAYMENT_BEHAVIOURS], n)
    public = np.flatnonzero(kind == PUBLIC_BODY)
    behaviour[public] = weighted(rng, [0.3, 0.55, 0.1, 0.05], public.size)
    delay = np.full(n, np.nan)
    for position, name in enumerate(names):
        if name not in DELAYS:
            continue
        median, spread, low, high = DELAYS[name]
        rows = behaviour == position
        delay[rows] = np.clip(np.rint(median * np.exp(rng.normal(0.0, spread, int(rows.sum())))), low, high)
    paid = np.where(behaviour == names.index("never"), 0.0, 1.0)
    partial = behaviour == names.index("partial")
    paid[partial] = np.round(rng.uniform(0.3, 0.85, int(partial.sum())), 2)
    channels = [name for name, _ in PAYMENT_CHANNELS]
    channel = weighted(rng, [share for _, share in PAYMENT_CHANNELS], n)
    company = kind != 0
    channel[company & (rng.random(n) < 0.5)] = channels.index("bank")
    return pa.table(
        {
            "customer_id": pa.array(np.arange(1, n + 1)),
            "kind": pick(KINDS, kind),
            "payment_behaviour": pick(names, behaviour),
            "typical_delay_days": pa.array(delay, mask=np.isnan(delay)).cast(pa.int64()),
            "paid_share": pa.array(paid),
            "preferred_channel": pick(channels, channel),
        }
    )
