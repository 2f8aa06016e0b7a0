"""Errors a user can cause. Each prints as one readable line; none needs a traceback.

Kept in a module of its own, with no heavy imports, so that the faces can catch them without
loading SQLAlchemy before the first frame.
"""

from __future__ import annotations


class KamtuiError(Exception):
    """Base for every user-facing error."""


class WorkspaceError(KamtuiError):
    """The workspace cannot be opened or prepared."""


class ServiceError(KamtuiError):
    """A request the workbench service refuses."""


class StorageError(WorkspaceError, ServiceError):
    """A write the database refused (read-only file, full disk); nothing was changed."""


class WorkspaceBusyError(StorageError):
    """Another process kept the workspace locked for longer than the busy timeout."""


class NotFoundError(ServiceError):
    """No record matches what was asked for."""


class ValidationError(ServiceError):
    """Bad values for a record; ``field`` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SettingsError(KamtuiError):
    """A settings file or value is invalid."""
