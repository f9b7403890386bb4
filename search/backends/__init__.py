"""Wagtail search backends for this project (see database.py)."""
