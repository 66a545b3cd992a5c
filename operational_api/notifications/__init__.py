"""The outbox of e-mails and SMS to customers (e-bills, balances), sent by pluggable senders."""
