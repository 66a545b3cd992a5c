"""E-services: e-bills by e-mail and balances by SMS after each billing."""
