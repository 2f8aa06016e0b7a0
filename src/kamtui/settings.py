"""Settings: scoring thresholds, weights, KPI targets, alert thresholds, as-of date, theme.

Sources, later ones win:

1. the defaults below (documented in ``docs/scoring.md``);
2. the user's ``settings.toml`` in :func:`kamtui.paths.config_dir`;
3. the workspace's overrides (the ``setting`` table; the service passes them in as a dict).

Keys are dotted paths that mirror the TOML tables, e.g. ``rfm.mode``, ``value.weights.revenue``,
``health.bands.green``, ``kpi.nps_min``, ``alerts.renewal_days``, ``as_of``, ``theme``::

    as_of = 2026-06-30
    [rfm]
    mode = "quintile"
    [value.weights]
    revenue = 40
    strategic_fit = 20
    growth = 15
    profitability = 15
    partnership = 10

Bad TOML, an unknown key, a value of the wrong type or a rule broken (weights not summing to
100) raise :class:`SettingsError` with one line naming the file and the key. Nothing is read at
import time.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kamtui.domain.alerts import AlertThresholds
from kamtui.domain.health import HealthConfig
from kamtui.domain.kpi import KpiTargets
from kamtui.domain.models import check_day
from kamtui.domain.portfolio import ScoringConfig
from kamtui.domain.rfm import RFM_MODES, RfmThresholds
from kamtui.domain.value import ValueConfig
from kamtui.errors import SettingsError

__all__ = [
    "DEFAULT_SOURCE",
    "WORKSPACE_SOURCE",
    "EffectiveSettings",
    "RfmSettings",
    "Settings",
    "SettingsError",
    "check_setting",
    "default_settings",
    "effective_settings",
    "flatten",
    "load_settings",
    "save_user_settings",
    "setting_keys",
    "to_toml",
    "user_settings_path",
]

DEFAULT_SOURCE = "default"
WORKSPACE_SOURCE = "workspace"
DEFAULT_THEME = "kamtui-night"


@dataclass(frozen=True, slots=True)
class RfmSettings:
    """RFM mode and thresholds (SPEC §3.1). Bounds list the scores 5, 4, 3, 2 in order."""

    mode: str = "fixed"  # "fixed" thresholds (stable) or "quintile" ranks in the portfolio
    recency_days: tuple[int, int, int, int] = (30, 90, 180, 365)  # at most
    frequency: tuple[int, int, int, int] = (12, 6, 4, 2)  # at least
    monetary: tuple[float, float, float, float] = (100_000, 25_000, 10_000, 1_000)  # at least
    tier1_min: int = 12
    tier2_min: int = 8

    def __post_init__(self) -> None:
        if self.mode not in RFM_MODES:
            raise ValueError(f"mode must be one of {', '.join(RFM_MODES)} (got {self.mode!r})")
        self.thresholds()  # validates the bounds

    def thresholds(self) -> RfmThresholds:
        return RfmThresholds(
            recency_days=self.recency_days,
            frequency=self.frequency,
            monetary=self.monetary,
            tier1_min=self.tier1_min,
            tier2_min=self.tier2_min,
        )


@dataclass(frozen=True, slots=True)
class Settings:
    rfm: RfmSettings = field(default_factory=RfmSettings)
    value: ValueConfig = field(default_factory=ValueConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    kpi: KpiTargets = field(default_factory=KpiTargets)
    alerts: AlertThresholds = field(default_factory=AlertThresholds)
    as_of: date | None = None  # None: today
    theme: str = DEFAULT_THEME

    def __post_init__(self) -> None:
        if not self.theme.strip():
            raise ValueError("theme must not be empty")

    def scoring(self) -> ScoringConfig:
        """The domain's view of these settings."""
        return ScoringConfig(
            rfm_mode=self.rfm.mode,
            rfm=self.rfm.thresholds(),
            value=self.value,
            health=self.health,
            kpi=self.kpi,
            alerts=self.alerts,
        )


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    settings: Settings
    sources: dict[str, str]  # key → "default", a file path, or "workspace"
    values: dict[str, object]  # key → effective value (flat)

    def rows(self) -> list[tuple[str, object, str]]:
        """(key, value, source) for every key, in declaration order (``config show``)."""
        return [(k, self.values[k], self.sources[k]) for k in self.values]


# ---------------------------------------------------------------- the key registry


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _leaves(cls: type, prefix: str = "") -> dict[str, Any]:
    """dotted key → type hint, for every leaf field of a settings dataclass tree."""
    out: dict[str, Any] = {}
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        key = f"{prefix}{f.name}"
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            out.update(_leaves(hint, key + "."))
        else:
            out[key] = hint
    return out


def setting_keys() -> dict[str, Any]:
    """Every setting key with its type hint."""
    return _leaves(Settings)


def flatten(settings: Settings) -> dict[str, object]:
    """dotted key → value for every leaf of a settings tree."""

    def walk(obj: object, prefix: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                out.update(walk(value, f"{prefix}{f.name}."))
            else:
                out[f"{prefix}{f.name}"] = value
        return out

    return walk(settings, "")


def _type_name(hint: Any) -> str:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in args if a is not type(None)) + " (or unset)"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_type_name(args[0])}"
        return f"a list of {len(args)} {_type_name(args[0])}s"
    return {int: "integer", float: "number", str: "text", bool: "true/false", date: "date"}.get(
        hint, getattr(hint, "__name__", str(hint))
    )


def _coerce(value: object, hint: Any) -> object:
    """Value converted to the hint's type; ValueError with the reason otherwise."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if (value is None or value == "") and type(None) in typing.get_args(hint):
            return None
        if len(args) == 1:
            return _coerce(value, args[0])
        for arg in args:
            try:
                return _coerce(value, arg)
            except ValueError:
                continue
        raise ValueError(f"expected {_type_name(hint)}, got {value!r}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected {_type_name(hint)}, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(v, args[0]) for v in value)
        if len(value) != len(args):
            raise ValueError(f"expected {_type_name(hint)}, got {len(value)} values")
        return tuple(_coerce(v, a) for v, a in zip(value, args, strict=True))
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ValueError(f"expected a finite number, got {value!r}")
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is date:
        if isinstance(value, datetime):
            raise ValueError(f"expected a date (YYYY-MM-DD), got a date and time {value!r}")
        parsed: date | None = value if isinstance(value, date) else None
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}")
        return check_day(parsed)
    raise ValueError(f"expected {_type_name(hint)}, got {value!r}")


def _flatten_raw(data: Mapping[str, object], known: Mapping[str, Any], prefix: str = "") -> dict:
    """Nested tables and/or dotted keys → {dotted key: raw value}; unknown keys → KeyError."""
    out: dict[str, object] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if key in known:
            out[key] = value
        elif isinstance(value, Mapping) and any(k.startswith(key + ".") for k in known):
            out.update(_flatten_raw(value, known, key + "."))
        else:
            raise KeyError(key)
    return out


def check_setting(key: str, value: object) -> object:
    """Validate one override (for the workspace table): the value as JSON-ready data.

    Dates come back as ISO text, tuples as lists. Raises SettingsError for an unknown key or a
    value of the wrong type; rules across keys (weights summing to 100) are checked by
    :func:`effective_settings`.
    """
    known = setting_keys()
    if key not in known:
        raise SettingsError(f"unknown setting {key!r}")
    try:
        coerced = _coerce(value, known[key])
    except ValueError as exc:
        raise SettingsError(f"{key}: {exc}") from None
    if isinstance(coerced, date):
        return coerced.isoformat()
    if isinstance(coerced, tuple):
        return list(coerced)
    return coerced


def _build(
    cls: type, flat: Mapping[str, object], sources: Mapping[str, str], prefix: str = ""
) -> Any:
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        key = f"{prefix}{f.name}"
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            kwargs[f.name] = _build(hint, flat, sources, key + ".")
        else:
            kwargs[f.name] = flat[key]
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        section = prefix.rstrip(".") or "settings"
        own = [sources[k] for k in flat if k.startswith(prefix) and sources[k] != DEFAULT_SOURCE]
        where = own[-1] if own else DEFAULT_SOURCE
        raise SettingsError(f"{where}: {section}: {exc}") from None


def default_settings() -> Settings:
    return Settings()


def user_settings_path() -> Path:
    from kamtui.paths import config_dir

    return config_dir() / "settings.toml"


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from None


def effective_settings(
    workspace: Mapping[str, object] | None = None,
    *,
    user_file: Path | None = None,
    read_user_file: bool = True,
) -> EffectiveSettings:
    """Defaults, then the user's settings.toml (if it exists), then workspace overrides.

    ``workspace`` may use dotted keys (``{"value.weights.revenue": 40}``, as the ``setting``
    table stores them) or nested dicts; keys that are not settings are ignored there (the table
    holds other things too). ``user_file`` replaces the default path (tests, ``--config``).
    """
    known = setting_keys()
    flat = flatten(Settings())
    sources = dict.fromkeys(flat, DEFAULT_SOURCE)
    layers: list[tuple[str, dict[str, object]]] = []
    if read_user_file:
        path = user_file if user_file is not None else user_settings_path()
        if path.is_file():
            try:
                layers.append((str(path), _flatten_raw(_read_toml(path), known)))
            except KeyError as exc:
                raise SettingsError(f"{path}: unknown setting {exc.args[0]!r}") from None
    if workspace:
        picked: dict[str, object] = {}
        for name, value in workspace.items():
            try:
                if isinstance(value, Mapping):
                    picked.update(_flatten_raw({name: value}, known))
                elif name in known:
                    picked[name] = value
            except KeyError:
                continue
        layers.append((WORKSPACE_SOURCE, picked))
    for source, values in layers:
        for key, raw in values.items():
            try:
                flat[key] = _coerce(raw, known[key])
            except ValueError as exc:
                raise SettingsError(f"{source}: {key}: {exc}") from None
            sources[key] = source
    settings = _build(Settings, flat, sources)
    return EffectiveSettings(settings, sources, flatten(settings))


def load_settings(
    workspace: Mapping[str, object] | None = None, *, user_file: Path | None = None
) -> Settings:
    return effective_settings(workspace, user_file=user_file).settings


def _nest(flat: Mapping[str, object]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = list(value) if isinstance(value, tuple) else value
    # tomli_w wants plain values before tables at each level: order them so
    return _order(out)


def _order(node: dict[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in node.items() if not isinstance(v, dict)}
    tables = {k: _order(v) for k, v in node.items() if isinstance(v, dict)}
    return {**plain, **tables}


def to_toml(values: Mapping[str, object], *, skip_none: bool = True) -> str:
    """Flat settings as TOML text (TOML has no null: unset keys are left out)."""
    import tomli_w

    kept = {k: v for k, v in values.items() if not (skip_none and v is None)}
    return tomli_w.dumps(_nest(kept))


def save_user_settings(changes: Mapping[str, object], path: Path | None = None) -> Path:
    """Merge ``changes`` (dotted keys; None removes a key) into the user's settings.toml.

    The merged file is validated before anything is written; a bad change writes nothing.
    """
    known = setting_keys()
    target = path if path is not None else user_settings_path()
    current: dict[str, object] = {}
    if target.is_file():
        try:
            current = _flatten_raw(_read_toml(target), known)
        except KeyError as exc:
            raise SettingsError(f"{target}: unknown setting {exc.args[0]!r}") from None
    for key, value in changes.items():
        if key not in known:
            raise SettingsError(f"unknown setting {key!r}")
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    coerced = {}
    for key, value in current.items():
        try:
            coerced[key] = _coerce(value, known[key])
        except ValueError as exc:
            raise SettingsError(f"{target}: {key}: {exc}") from None
    # the whole tree must still be valid (e.g. weights summing to 100)
    flat = flatten(Settings())
    flat.update(coerced)
    _build(Settings, flat, {k: (str(target) if k in coerced else DEFAULT_SOURCE) for k in flat})
    text = to_toml(coerced)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target
