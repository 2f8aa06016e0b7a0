"""Settings: defaults, the user's TOML file, workspace overrides, sources and clear errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kamtui.errors import KamtuiError
from kamtui.settings import (
    Settings,
    SettingsError,
    check_setting,
    effective_settings,
    flatten,
    load_settings,
    save_user_settings,
    setting_keys,
    to_toml,
    user_settings_path,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_sources(kamtui_home: Path) -> None:
    eff = effective_settings()
    s = eff.settings
    assert s == Settings()
    assert s.rfm.mode == "fixed" and s.rfm.recency_days == (30, 90, 180, 365)
    assert (s.value.weights.revenue, s.value.weights.partnership) == (30, 15)
    assert (s.health.bands.green, s.health.bands.amber) == (70, 40)
    assert s.kpi.nps_min == 50 and s.alerts.renewal_days == 90
    assert s.as_of is None and s.theme == "kamtui-night"
    assert set(eff.sources.values()) == {"default"}
    assert not kamtui_home.exists()  # reading creates nothing


def test_user_file_path_follows_kamtui_home(kamtui_home: Path) -> None:
    assert user_settings_path() == kamtui_home / "config" / "settings.toml"


def test_user_file_then_workspace(kamtui_home: Path) -> None:
    path = write(
        user_settings_path(),
        """
as_of = 2026-06-30
theme = "kamtui-paper"
[rfm]
mode = "quintile"
[value.weights]
revenue = 40
strategic_fit = 20
growth = 15
profitability = 15
partnership = 10
[alerts]
renewal_days = 120
""",
    )
    eff = effective_settings({"alerts.renewal_days": 60, "as_of": "2026-07-01", "unrelated": 1})
    s = eff.settings
    assert s.rfm.mode == "quintile" and s.scoring().rfm_mode == "quintile"
    assert s.value.weights.revenue == 40.0 and s.value.weights.growth == 15.0
    assert s.alerts.renewal_days == 60
    assert s.as_of == date(2026, 7, 1)
    assert s.theme == "kamtui-paper"
    assert eff.sources["rfm.mode"] == str(path)
    assert eff.sources["alerts.renewal_days"] == "workspace"
    assert eff.sources["as_of"] == "workspace"
    assert eff.sources["kpi.nps_min"] == "default"
    rows = {k: (v, src) for k, v, src in eff.rows()}
    assert rows["value.weights.revenue"] == (40.0, str(path))


def test_workspace_accepts_nested_dicts() -> None:
    s = load_settings({"health": {"bands": {"green": 75}}}, user_file=Path("/nonexistent"))
    assert s.health.bands.green == 75


def test_weight_file_not_summing_to_100(kamtui_home: Path) -> None:
    path = write(user_settings_path(), "[value.weights]\nrevenue = 50\n")
    with pytest.raises(SettingsError) as err:
        effective_settings()
    message = str(err.value)
    assert message.startswith(f"{path}: value.weights: value weights must sum to 100, got 120")
    assert "\n" not in message
    assert isinstance(err.value, KamtuiError)


def test_health_weights_must_sum_to_100_too() -> None:
    with pytest.raises(SettingsError, match=r"workspace: health.weights: .*sum to 100"):
        effective_settings({"health.weights.plan": 20}, read_user_file=False)


def test_bad_toml_names_the_file(kamtui_home: Path) -> None:
    path = write(user_settings_path(), "[rfm\nmode = 'fixed'\n")
    with pytest.raises(SettingsError, match=rf"^{path}: not valid TOML"):
        effective_settings()


def test_unknown_key_in_the_file(kamtui_home: Path) -> None:
    path = write(user_settings_path(), "[value.weights]\nrevnue = 30\n")
    with pytest.raises(SettingsError, match=rf"^{path}: unknown setting 'value.weights.revnue'"):
        effective_settings()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('[rfm]\nmode = "decile"\n', r"rfm: mode must be one of fixed, quintile"),
        ('[kpi]\nnps_min = "high"\n', r"kpi.nps_min: expected number, got 'high'"),
        ("[rfm]\nrecency_days = [30, 90]\n", r"rfm.recency_days: expected a list of 4"),
        ("[rfm]\nrecency_days = [90, 30, 180, 365]\n", r"rfm: rfm.recency_days must increase"),
        ("[alerts]\nrenewal_days = 1.5\n", r"alerts.renewal_days: expected integer"),
        ("as_of = 2026-06-30T10:00:00\n", r"as_of: expected a date"),
        ("[health.bands]\ngreen = 30\n", r"health.bands: health bands must satisfy"),
    ],
)
def test_bad_values_name_file_and_key(kamtui_home: Path, text: str, match: str) -> None:
    path = write(user_settings_path(), text)
    with pytest.raises(SettingsError, match=match) as err:
        effective_settings()
    assert str(err.value).startswith(str(path))


def test_bad_workspace_value() -> None:
    with pytest.raises(SettingsError, match=r"^workspace: as_of: expected a date"):
        effective_settings({"as_of": "30/06/2026"}, read_user_file=False)


def test_check_setting() -> None:
    assert check_setting("as_of", "2026-06-30") == "2026-06-30"
    assert check_setting("as_of", date(2026, 6, 30)) == "2026-06-30"
    assert check_setting("as_of", None) is None
    assert check_setting("rfm.monetary", [5, 4, 3, 2]) == [5.0, 4.0, 3.0, 2.0]
    assert check_setting("alerts.renewal_days", 60.0) == 60
    with pytest.raises(SettingsError, match=r"unknown setting 'rfm\.moed'"):
        check_setting("rfm.moed", "fixed")
    with pytest.raises(SettingsError, match=r"alerts\.renewal_days: expected integer"):
        check_setting("alerts.renewal_days", True)


def test_save_user_settings_round_trip(kamtui_home: Path) -> None:
    path = save_user_settings({"rfm.mode": "quintile", "as_of": date(2026, 1, 31)})
    assert path == user_settings_path() and path.is_file()
    save_user_settings({"kpi.acquisition_cost": 12_000})
    s = load_settings()
    assert s.rfm.mode == "quintile" and s.as_of == date(2026, 1, 31)
    assert s.kpi.acquisition_cost == 12_000
    save_user_settings({"as_of": None})
    assert load_settings().as_of is None
    assert load_settings().rfm.mode == "quintile"


def test_a_bad_save_writes_nothing(kamtui_home: Path) -> None:
    path = save_user_settings({"rfm.mode": "quintile"})
    before = path.read_text()
    with pytest.raises(SettingsError, match="sum to 100"):
        save_user_settings({"value.weights.revenue": 99})
    with pytest.raises(SettingsError, match="unknown setting"):
        save_user_settings({"nope": 1})
    assert path.read_text() == before


def test_toml_of_the_defaults_reads_back(tmp_path: Path) -> None:
    text = to_toml(flatten(Settings()))
    path = write(tmp_path / "all.toml", text)
    eff = effective_settings(user_file=path)
    assert eff.settings == Settings()
    assert "as_of" not in text  # unset: TOML has no null
    assert set(setting_keys()) == set(flatten(Settings()))


def test_nothing_is_read_at_import_time(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write(home / "config" / "settings.toml", "this is not toml [")
    code = "import kamtui.settings, kamtui.domain.portfolio; print('ok')"
    env = {"KAMTUI_HOME": str(home), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_the_documented_defaults_are_the_defaults(tmp_path: Path) -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
    block = doc.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path / "documented.toml", block)
    s = load_settings(user_file=path)
    assert s == Settings(as_of=date(2026, 6, 30))


def test_non_finite_weights_are_refused() -> None:
    import pytest

    from kamtui.errors import SettingsError
    from kamtui.settings import effective_settings

    with pytest.raises(SettingsError, match="finite"):
        effective_settings({"value.weights.revenue": float("nan")}, read_user_file=False)
