"""Alembic migrations of Viva's store; run them with `viva db upgrade` (app/schema.py drives them)."""
