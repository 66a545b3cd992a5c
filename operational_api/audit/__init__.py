"""The append-only audit trail and the history of changes to customer data."""
