"""The truth about the demo utility, kept outside the operational database so that no pipeline reads it.

Who steals and how, what each transformer really delivered and lost, how each customer pays: Parquet files
under ``settings.demo_dir`` (``var/demo/``), with ``generation.json`` describing the run. Evaluations of loss
detection compare their findings with these files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from yeelen.errors import YeelenError

GENERATION = "generation.json"
CONTRACTS = "ground_truth_contracts.parquet"
TRANSFORMERS = "ground_truth_transformers.parquet"
TRANSFORMER_MONTHS = "ground_truth_transformer_months.parquet"
FEEDERS = "ground_truth_feeders.parquet"
WATER_DISTRICTS = "ground_truth_water_districts.parquet"
CUSTOMER_PROFILES = "customer_profiles.parquet"


class DemoTruthMissingError(YeelenError):
    """No demo has been generated in this folder."""


def truth_dir(demo_dir: Path | None = None) -> Path:
    """The folder of the truth files: ``demo_dir`` or the settings' ``demo_dir``."""
    if demo_dir is not None:
        return Path(demo_dir)
    from yeelen.settings import get_settings

    return get_settings().demo_dir


def write_truth(folder: Path, tables: dict[str, pa.Table], generation: dict[str, Any]) -> None:
    """Write every truth file, each through a temporary name so that readers never see half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        target = folder / name
        temporary = folder / f".{name}.tmp"
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, target)
    temporary = folder / f".{GENERATION}.tmp"
    temporary.write_text(json.dumps(generation, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, folder / GENERATION)


def _path(name: str, demo_dir: Path | None) -> Path:
    path = truth_dir(demo_dir) / name
    if not path.exists():
        raise DemoTruthMissingError(
            f"{path} does not exist: generate the demo utility first (yeelen demo generate --customers N ...)"
        )
    return path


def read_generation(demo_dir: Path | None = None) -> dict[str, Any]:
    """Seed, size, horizon and row counts of the last generation."""
    return json.loads(_path(GENERATION, demo_dir).read_text(encoding="utf-8"))


def read_table(name: str, demo_dir: Path | None = None) -> pa.Table:
    """One truth file as an Arrow table."""
    return pq.read_table(_path(name, demo_dir))


def read_contract_truth(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per contract: fraud flag, pattern, theft start and parameters, network place, true and reported totals."""
    return read_table(CONTRACTS, demo_dir).to_pandas()


def read_transformer_truth(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per transformer: lossy flag, true delivered energy, technical and non-technical losses over the horizon."""
    return read_table(TRANSFORMERS, demo_dir).to_pandas()


def read_transformer_month_truth(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per transformer and month: delivered, true and reported consumption, technical and non-technical losses."""
    return read_table(TRANSFORMER_MONTHS, demo_dir).to_pandas()


def read_feeder_truth(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per feeder: delivered energy, what its transformers and medium-voltage customers took, line losses."""
    return read_table(FEEDERS, demo_dir).to_pandas()


def read_water_district_truth(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per water district: water delivered, consumed by customers and lost."""
    return read_table(WATER_DISTRICTS, demo_dir).to_pandas()


def read_customer_profiles(demo_dir: Path | None = None) -> pd.DataFrame:
    """Per customer: payment behaviour, typical delay in days, share of each bill paid, preferred channel."""
    return read_table(CUSTOMER_PROFILES, demo_dir).to_pandas()


def fraudulent_contract_ids(demo_dir: Path | None = None) -> set[int]:
    """Ids of the contracts whose meters were made to report less than was used."""
    table = read_table(CONTRACTS, demo_dir).select(["contract_id", "is_fraud"])
    mask = table.column("is_fraud")
    return set(table.filter(mask).column("contract_id").to_pylist())
