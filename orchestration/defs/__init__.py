"""Dagster definitions, one sub-package per domain (assets, resources, checks, schedules, sensors)."""
