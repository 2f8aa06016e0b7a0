"""Persistence: SQLModel tables, the engine factory, migrations and bulk queries."""
