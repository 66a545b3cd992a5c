"""Files partners drop in the inbox: taken by a sensor, one run per file, with their freshness and quarantine."""
