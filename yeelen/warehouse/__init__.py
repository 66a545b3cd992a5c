"""The analytical warehouse: what is built in it and how the apps get a copy they can read safely."""
