"""The demo utility: a generated distributor written into the operational database (optional)."""

import dagster as dg

from orchestration.resources import YeelenSettingsResource


class DemoUtilityConfig(dg.Config):
    customers: int = 20_000
    months: int = 24
    seed: int = 7
    end_month: str | None = None  # YYYY-MM; the month before this one when empty
    replace: bool = True


@dg.asset(
    key=["operational", "demo_utility"],
    group_name="demo",
    description="A generated West African distributor (customers, network, readings, losses) for demos and tests.",
)
def demo_utility(
    context: dg.AssetExecutionContext, config: DemoUtilityConfig, yeelen: YeelenSettingsResource
) -> dg.MaterializeResult:
    from yeelen.demo import generate

    settings = yeelen.settings()
    report = generate(
        str(settings.operational_url),
        customers=config.customers,
        months=config.months,
        seed=config.seed,
        end_month=config.end_month,
        replace=config.replace,
        progress=context.log.info,
        demo_dir=settings.demo_dir,
    )
    metadata = {f"rows.{name}": dg.MetadataValue.int(count) for name, count in report.counts.items()}
    metadata["seconds"] = dg.MetadataValue.float(round(report.seconds, 1))
    return dg.MaterializeResult(metadata=metadata)
