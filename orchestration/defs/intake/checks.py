"""Checks beside the inbox's assets: each source still delivers, and no quarantine grows unseen."""

import datetime as dt

import dagster as dg

from orchestration.defs.intake.assets import INTAKE_ASSETS
from orchestration.resources import YeelenSettingsResource

# The longest a source may stay silent: terminals answer once a month per round, banks and mobile money daily,
# vending systems export every day.
MAX_SILENCE_HOURS = {"readings": 35 * 24, "bank": 72, "mobile_money": 48, "prepaid": 48}


def _kind_name(folder: str) -> str:
    from yeelen.intake.kinds import inbox_kinds

    return inbox_kinds()[folder].name


@dg.multi_asset_check(
    specs=[
        spec
        for folder, asset in INTAKE_ASSETS.items()
        for spec in (
            dg.AssetCheckSpec(
                "source_fresh",
                asset=asset,
                description=f"A file came in the last {MAX_SILENCE_HOURS[folder]} hours.",
            ),
            dg.AssetCheckSpec(
                "quarantine_seen",
                asset=asset,
                description="No quarantined row waits longer than YEELEN_QUARANTINE_MAX_AGE_DAYS to be fixed or "
                "discarded.",
            ),
        )
    ],
    can_subset=True,
)
def intake_health(context: dg.AssetCheckExecutionContext, yeelen: YeelenSettingsResource):
    """Freshness and quarantine of every kind of file of the inbox."""
    from yeelen.quality import intake_freshness

    settings = yeelen.settings()
    state = intake_freshness(settings)
    now = dt.datetime.now(dt.UTC)
    # A run taking one file checks that kind only.
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    for folder, asset in INTAKE_ASSETS.items():
        if asset.key not in selected:
            continue
        kind = _kind_name(folder)
        last = state["latest"].get(kind)
        age = (now - last).total_seconds() / 3600 if last else None
        yield dg.AssetCheckResult(
            asset_key=asset.key,
            check_name="source_fresh",
            passed=age is not None and age <= MAX_SILENCE_HOURS[folder],
            severity=dg.AssetCheckSeverity.WARN,
            description=None if last else "no file taken yet",
            metadata={
                "last_file": str(last) if last else "never",
                "age_hours": round(age, 1) if age is not None else -1.0,
                "max_hours": MAX_SILENCE_HOURS[folder],
            },
        )
        waiting = state["quarantine"].get(kind)
        oldest_days = (now - waiting.oldest).total_seconds() / 86400 if waiting and waiting.oldest else 0.0
        too_old = waiting is not None and oldest_days > settings.quarantine_max_age_days
        yield dg.AssetCheckResult(
            asset_key=asset.key,
            check_name="quarantine_seen",
            passed=not too_old,
            severity=dg.AssetCheckSeverity.ERROR if too_old else dg.AssetCheckSeverity.WARN,
            description=(
                f"{waiting.rows} row(s) in quarantine, the oldest for {oldest_days:.1f} days: `yeelen intake show`"
                if waiting
                else "nothing in quarantine"
            ),
            metadata={
                "rows": waiting.rows if waiting else 0,
                "files": waiting.files if waiting else 0,
                "oldest_days": round(oldest_days, 2),
                "max_days": settings.quarantine_max_age_days,
            },
        )
