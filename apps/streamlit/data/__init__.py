"""Data access of the apps: read-only queries on the marts, one module per screen."""
