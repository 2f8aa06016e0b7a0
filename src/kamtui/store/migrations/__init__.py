"""Alembic migrations for the workspace schema.

``SCHEMA_HEAD`` names the newest revision so that opening an up-to-date workspace needs no
Alembic import; a test checks it against the scripts in ``versions/``.
"""

SCHEMA_HEAD = "0001"
