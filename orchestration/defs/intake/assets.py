"""One asset per kind of file of the inbox; each run takes one file (its path in the run's config)."""

import dagster as dg

from orchestration.policies import TRANSIENT
from orchestration.resources import YeelenSettingsResource

# Inbox folder -> (asset name, kind of file's label). Folder names are the ones partners drop files into.
KINDS = {
    "readings": ("readings", "Readings answered by the handheld terminals, per round"),
    "bank": ("bank_statements", "Bank statements: customers' transfers, recorded as payments"),
    "mobile_money": ("mobile_money_statements", "Mobile money operators' daily statements, for reconciliation"),
    "prepaid": ("prepaid_vending", "Prepaid vending exports, recorded as prepaid purchases"),
}


class TakeFileConfig(dg.Config):
    path: str  # the file in the inbox
    actor: str = "intake"


def _intake_asset(folder: str, name: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["intake", name],
        group_name="intake",
        retry_policy=TRANSIENT,
        kinds={"csv", "json"},
        description=description,
    )
    def take(context: dg.AssetExecutionContext, config: TakeFileConfig, yeelen: YeelenSettingsResource):
        from pathlib import Path

        from yeelen.intake import take_file
        from yeelen.intake.kinds import inbox_kinds

        path = Path(config.path)
        if not path.exists():
            # Taken already by an earlier attempt of this run (the file moved to done/): nothing is lost.
            context.log.warning(f"{path} is no longer in the inbox; it was taken or moved by someone")
            return dg.MaterializeResult(metadata={"file": str(path), "status": "gone"})
        report = take_file(yeelen.settings(), inbox_kinds()[folder], path, actor=config.actor, say=context.log.info)
        return dg.MaterializeResult(
            metadata={
                "file": path.name,
                "file_id": report.file_id or 0,
                "status": report.status,
                "rows": report.rows_total,
                "loaded": report.loaded,
                "quarantined": report.quarantined,
                "skipped": report.skipped,
                "reason": report.reason or "",
                "moved_to": str(report.moved_to or ""),
                "details": dg.MetadataValue.json(report.metadata),
            }
        )

    take.__name__ = f"intake_{name}"
    return take


INTAKE_ASSETS = {folder: _intake_asset(folder, name, text) for folder, (name, text) in KINDS.items()}

intake_job = dg.define_asset_job(
    name="intake",
    selection=dg.AssetSelection.groups("intake"),
    description="Take one file of the inbox (the sensor selects the kind's asset and names the file).",
)


@dg.definitions
def intake_assets() -> dg.Definitions:
    return dg.Definitions(assets=list(INTAKE_ASSETS.values()), jobs=[intake_job])
