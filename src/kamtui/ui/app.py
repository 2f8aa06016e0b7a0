"""KamtuiApp: themes, the workbench screen, and the error routing for workers."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from kamtui.ui.screens.workbench import WorkbenchScreen
from kamtui.ui.themes import DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes


class KamtuiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "kamtui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit-app"),
    ]

    def __init__(self, db: str | None = None, as_of: Any = ...) -> None:
        super().__init__()
        self.db = db
        self.as_of = as_of

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        from kamtui.paths import config_dir

        loaded = load_themes(config_dir() / "themes")
        for theme in loaded.themes:
            self.register_theme(theme)
        for problem in loaded.problems:
            self.notify(f"Theme skipped: {problem}", severity="warning", timeout=8)
        if DEFAULT_THEME in self.available_themes:
            self.theme = DEFAULT_THEME
        self.push_screen(WorkbenchScreen(self.db, self.as_of))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a worker's unexpected error becomes a notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error", timeout=10)
