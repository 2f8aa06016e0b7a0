"""Command palette, themes that persist, the portfolio screen, importing from the TUI,
help, tabs and the sizes the workbench must handle."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import TabbedContent

from kamtui.ui.modals.forms import ConfirmModal, FormModal
from kamtui.ui.screens.help import HelpScreen
from kamtui.ui.screens.portfolio import PortfolioScreen
from kamtui.ui.screens.workbench import WorkbenchScreen
from tests.ui.helpers import (
    current_name,
    make_app,
    names,
    ready,
    save,
    static_text,
    type_text,
)


async def _palette(app, pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, text)
    await app.screen.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_palette_jumps_to_an_account_even_when_filtered_out(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "region:apac")
        await pilot.press("escape")
        assert names(app) == ["Delta Foods"]
        await _palette(app, pilot, "gamma hold")
        assert isinstance(app.screen, WorkbenchScreen)
        assert current_name(app) == "Gamma Holdings"
        assert len(names(app)) == 5  # the filter was cleared to show it
        head = static_text(app.screen.query_one("#overview-head"))
        assert "Gamma Holdings" in head


async def test_palette_runs_actions(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await _palette(app, pilot, "new account")
        assert isinstance(app.screen, FormModal)
        await pilot.press("escape")
        await pilot.pause()
        await _palette(app, pilot, "open portfolio")
        assert isinstance(app.screen, PortfolioScreen)


async def test_theme_switch_persists_across_restarts(workspace, kamtui_home) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert app.theme == "kamtui-night"
        await _palette(app, pilot, "theme: kamtui-paper")
        assert app.theme == "kamtui-paper"
    settings = (kamtui_home / "config" / "settings.toml").read_text()
    assert 'theme = "kamtui-paper"' in settings

    again = make_app(workspace)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(again, pilot)
        assert again.theme == "kamtui-paper"


async def test_a_broken_user_theme_gives_one_notice_and_falls_back(
    workspace, kamtui_home: Path
) -> None:
    themes = kamtui_home / "config" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "not-a-colour"\n')
    (kamtui_home / "config" / "settings.toml").write_text('theme = "mine"\n')
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert app.theme == "kamtui-night"
        notices = list(app._notifications)
        assert len(notices) == 1
        assert "mine.toml" in notices[0].message and "'mine' is not available" in (
            notices[0].message
        )


async def test_number_keys_switch_tabs_and_help_lists_keys(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "tab-plan"
        assert "Joint business plan" in static_text(app.screen.query_one("#plan .coming"))
        await pilot.press("0")
        await pilot.press("1")
        await pilot.pause()
        assert tabs.active == "tab-overview"
        await pilot.press("0")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = static_text(app.screen.query_one("#help-keys"))
        assert "Sort" in keys and "New" in keys and "Filter" in keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkbenchScreen)


async def test_portfolio_screen_shows_tiers_concentration_and_heatmap(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "T1" in static_text(screen.query_one("#portfolio-tiers"))
        assert "of revenue from the top" in static_text(screen.query_one("#portfolio-pareto"))
        heat = static_text(screen.query_one("#portfolio-heatmap"), width=160)
        assert "EMEA" in heat and "Retail" in heat
        assert "Retention" in static_text(screen.query_one("#portfolio-kpis"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkbenchScreen)


async def test_import_from_the_tui_previews_then_imports(
    workspace, tmp_path, bench_on, monkeypatch
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    data = exports / "billing.csv"
    data.write_text("account,date,amount\nOmega Retail,2024-06-01,1200\nAcme Corp,2024-06-02,99\n")
    monkeypatch.chdir(exports)  # the file tree starts in the working directory
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await _palette(app, pilot, "import files")
        form = app.screen
        assert isinstance(form, FormModal)
        await type_text(pilot, "/no/such/file.csv")
        await save(app, pilot)
        assert "no such file" in static_text(form.query_one("#error-path"))
        form.query_one("#field-path").value = ""
        # pick the file in the tree: Tab to the tree, Down to the file, Enter adds it
        tree = form.query_one("#file-tree")
        for _ in range(200):  # the tree lists the folder in its own long-lived worker
            if tree.root.children:
                break
            await pilot.pause()
        await pilot.press("tab")
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert form.query_one("#field-path").value.endswith("billing.csv")
        await save(app, pilot)
        for _ in range(200):  # the picker (and its tree's worker) must be gone first
            if app.screen is not form:
                break
            await pilot.pause()
        await ready(app, pilot)
        preview = app.screen
        assert isinstance(preview, ConfirmModal)
        assert "Dry run" in static_text(preview.query_one("#confirm-question"))
        assert bench_on.account_count() == 5  # nothing written yet
        await pilot.press("y")
        await ready(app, pilot)
        assert bench_on.account_count() == 6
        assert "Omega Retail" in names(app)


async def test_sizes_from_tiny_to_wide(workspace) -> None:
    for size in ((20, 5), (80, 24), (200, 50)):
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            await ready(app, pilot)
            screen = app.screen
            assert screen.has_class("-too-small") == (size == (20, 5))
            if size == (20, 5):
                assert "too small" in static_text(screen.query_one("#too-small"))
            else:
                assert screen.has_class("-narrow") == (size[0] < 110)
                assert len(names(app)) == 5


async def test_keys_can_be_remapped_by_binding_id(workspace, kamtui_home: Path) -> None:
    config = kamtui_home / "config"
    config.mkdir(parents=True)
    (config / "keymap.toml").write_text('new-account = "ctrl+n"\n')
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WorkbenchScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
