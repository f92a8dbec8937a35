"""Viva: a self-hosted voice mock interviewer for backend-engineering interviews."""

__version__ = "0.1.0"
