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
        self.setup_themes()
        self.setup_keymap()
        self.push_screen(WorkbenchScreen(self.db, self.as_of))

    def setup_keymap(self) -> None:
        """Remap keys from ``keymap.toml`` in the config folder: ``binding-id = "key"``
        (e.g. ``new-account = "ctrl+n"``; the ids are listed in docs/tui.md)."""
        import tomllib

        from kamtui.paths import config_dir

        path = config_dir() / "keymap.toml"
        if not path.is_file():
            return
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            self.notify(f"{path.name} is not used: {exc}", severity="warning", timeout=8)
            return
        bad = sorted(k for k, v in data.items() if not isinstance(v, str) or not v.strip())
        if bad:
            self.notify(
                f"{path.name}: these need a key as text: {', '.join(bad)}",
                severity="warning",
                timeout=8,
            )
        self.set_keymap({k: v for k, v in data.items() if k not in bad})

    def setup_themes(self) -> None:
        """Register shipped and user themes, then restore the user's choice.

        Every problem (a broken theme file, a saved theme that no longer loads, unreadable
        settings) is reported in one notification, and the default theme is used instead.
        """
        from kamtui.errors import SettingsError
        from kamtui.paths import config_dir

        loaded = load_themes(config_dir() / "themes")
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = [f"theme file skipped: {problem}" for problem in loaded.problems]
        wanted = DEFAULT_THEME
        try:
            from kamtui.settings import load_settings

            wanted = load_settings().theme or DEFAULT_THEME
        except SettingsError as exc:
            problems.append(str(exc))
        if wanted not in self.available_themes:
            problems.append(f"theme {wanted!r} is not available")
            wanted = DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        if problems:
            self.notify(
                "\n".join(problems) + f"\nUsing the {self.theme!r} theme.",
                title="Themes",
                severity="warning",
                timeout=10,
            )
        self._saved_theme = self.theme
        self.watch(self, "theme", self._theme_chosen, init=False)

    def _theme_chosen(self, name: str) -> None:
        """Remember the user's theme across restarts (settings.toml ``theme``)."""
        if name == getattr(self, "_saved_theme", None):
            return
        from kamtui.errors import SettingsError
        from kamtui.settings import save_user_settings

        try:
            save_user_settings({"theme": name})
        except (SettingsError, OSError) as exc:
            self.notify(f"The theme is not saved: {exc}", severity="warning", timeout=8)
            return
        self._saved_theme = name

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a worker's unexpected error becomes a notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error", timeout=10)
