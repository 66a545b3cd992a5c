"""The dbt project as Dagster sees it: one cached ``DbtProject`` and its manifest, kept fresh."""

from __future__ import annotations

import shutil
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from yeelen.settings import get_settings
from yeelen.transform import run_dbt

# Dagster reads its own manifest, so compiling for another target elsewhere never changes what it loads.
DAGSTER_TARGET_PATH = Path("target") / "dagster"
_SOURCES = ("models", "macros", "seeds", "tests", "dbt_project.yml", "profiles.yml")


def dbt_project_dir() -> Path:
    """The dbt project the pipeline runs: the settings' (YEELEN_DBT_PROJECT_DIR), the checkout's by default."""
    return get_settings().dbt_project_dir


def _newest_source_mtime(folder: Path) -> float:
    newest = 0.0
    for name in _SOURCES:
        path = folder / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for child in path.rglob("*"):
                if child.is_file():
                    newest = max(newest, child.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any model, macro or seed."""
    folder = dbt_project_dir()
    manifest = folder / DAGSTER_TARGET_PATH / "manifest.json"
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(folder):
        outcome = run_dbt(get_settings(), ["parse", "--quiet"], target_path=folder / DAGSTER_TARGET_PATH)
        if not outcome.success:
            raise RuntimeError(
                f"dbt parse failed; run `dbt parse --project-dir {folder} --profiles-dir {folder}` to see why"
            )
    return manifest


@cache
def dbt_project() -> DbtProject:
    ensure_manifest()
    folder = dbt_project_dir()
    return DbtProject(
        project_dir=folder,
        profiles_dir=folder,
        target_path=DAGSTER_TARGET_PATH,
        target=get_settings().dbt_target,
    )


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("dbt") or "dbt"


def dbt_cli_resource() -> DbtCliResource:
    project = dbt_project()
    return DbtCliResource(
        project_dir=project,
        profiles_dir=str(dbt_project_dir()),
        target=get_settings().dbt_target,
        dbt_executable=dbt_executable(),
    )
