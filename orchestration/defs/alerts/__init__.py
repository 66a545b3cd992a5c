"""Alerts to the data team by e-mail when a run or a check fails."""
