"""Who may do what: passwords, sessions, API tokens and the permission table."""
