"""Mobile money and aggregators: bill lookup, payment notifications, statements and reconciliation."""
