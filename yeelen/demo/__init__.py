"""The demo utility: a generated water and electricity distributor of Dakar, with its losses and its truth.

``generate`` fills the operational database; ``yeelen.demo.truth`` reads what the generator knows and the
pipeline must find out (who steals, what each transformer really lost).
"""

from yeelen.demo.generator import TABLES, DemoDatabaseNotEmptyError, GenerationReport, generate

__all__ = ["TABLES", "DemoDatabaseNotEmptyError", "GenerationReport", "generate"]
