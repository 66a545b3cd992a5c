"""Ingestion of the operational database into the warehouse's ``raw`` schema.

Plain Python (no orchestration imports): Dagster, the command line and the tests all call
``run_ingestion``. See ``ingestion.run`` for the contract of the raw tables and docs/ingestion.md.
"""

from ingestion.destinations import TableLoad
from ingestion.run import IngestReport, run_ingestion
from ingestion.status import TableStatus, ingestion_status

__all__ = ["IngestReport", "TableLoad", "TableStatus", "ingestion_status", "run_ingestion"]
