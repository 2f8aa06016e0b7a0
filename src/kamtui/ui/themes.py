"""Themes: the TOML files shipped in ``themes/`` plus the user's own.

A theme file holds Textual ``Theme`` fields (name, primary, background, ... and a
``[variables]`` table). A file that cannot be read is reported and skipped; the app falls back
to the default theme.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from textual.theme import Theme

DEFAULT_THEME = "kamtui-night"

# Custom CSS variables every theme provides (defaults for Textual's built-in themes).
VARIABLE_DEFAULTS = {
    "health-green": "#52BE80",
    "health-amber": "#F5B041",
    "health-red": "#EC7063",
    "tier-1": "#F5B041",
    "tier-2": "#7FB3D5",
    "tier-3": "#7F8C8D",
}

_FIELDS = {
    "name", "primary", "secondary", "warning", "error", "success", "accent", "foreground",
    "background", "surface", "panel", "boost", "dark", "luminosity_spread", "text_alpha",
    "variables",
}  # fmt: skip


@dataclass
class ThemeLoad:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def shipped_theme_dirs() -> list[Path]:
    """The packaged ``kamtui/themes`` folder, or the repository's ``themes/`` when editable."""
    found = []
    packaged = resources.files("kamtui") / "themes"
    if packaged.is_dir():
        found.append(Path(str(packaged)))
    repo = Path(__file__).resolve().parents[3] / "themes"
    if repo.is_dir() and repo not in found:
        found.append(repo)
    return found


def theme_from_file(path: Path) -> Theme:
    """Read one theme file; raises ValueError with a readable reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    unknown = set(data) - _FIELDS
    if unknown:
        raise ValueError(f"{path.name}: unknown keys {', '.join(sorted(unknown))}")
    if not isinstance(data.get("name"), str) or not isinstance(data.get("primary"), str):
        raise ValueError(f"{path.name}: a theme needs 'name' and 'primary'")
    variables = {**VARIABLE_DEFAULTS, **data.pop("variables", {})}
    try:
        theme = Theme(**data, variables=variables)
        theme.to_color_system()  # validates every colour now, not at first paint
    except Exception as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    return theme


def load_themes(user_dir: Path | None) -> ThemeLoad:
    result = ThemeLoad()
    dirs = shipped_theme_dirs()
    if user_dir is not None and user_dir.is_dir():
        dirs.append(user_dir)
    seen: set[str] = set()
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except ValueError as exc:
                result.problems.append(str(exc))
                continue
            if theme.name not in seen:
                seen.add(theme.name)
                result.themes.append(theme)
    return result
