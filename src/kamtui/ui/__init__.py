"""The Textual face of kamtui. Nothing here knows about SQL: it talks to the service."""
