"""The cash desk (*caisse*): sessions, payments, receipts, deposits, cash counts."""
