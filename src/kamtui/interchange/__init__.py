"""Data in and out: sniffing, import profiles, the importer (files → plan) and exporters.

Nothing here writes to the database: ``kamtui.store.bulk.apply_plan`` applies a plan, and the
workbench service wraps both in one unit of work.
"""
