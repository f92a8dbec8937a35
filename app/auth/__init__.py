"""Accounts: users who sign up and log in (VIVA_AUTH=accounts), sessions, personal API tokens."""
