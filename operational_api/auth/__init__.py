"""Users, roles and rights, agencies, session tokens and payment partners."""
