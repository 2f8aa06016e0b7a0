"""The account list: filter query bar and sorting, driven by keys as a user would."""

from __future__ import annotations

from kamtui.ui.panes.account_list import AccountListPane, FilterInput
from kamtui.ui.widgets.account_table import AccountTable
from tests.ui.helpers import current_name, make_app, names, ready, static_text, type_text


async def test_filter_query_narrows_the_list_and_escape_returns(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert len(names(app)) == 5
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)
        await type_text(pilot, "region:emea renewal:<60d")
        assert names(app) == ["Acme Corp"]
        title = app.screen.query_one("#list-title").text
        assert "1 of 5" in title
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AccountTable)
        assert current_name(app) == "Acme Corp"


async def test_typing_in_the_filter_never_runs_shortcuts(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        # q would quit, s would sort, 2 would switch tabs, ? would open help
        await type_text(pilot, "qs2?")
        assert app.is_running
        assert app.screen.query_one(FilterInput).value == "qs2?"
        assert app.screen.query_one(AccountTable).sort_column is None
        assert app.screen.query_one("#detail").active == "tab-overview"


async def test_a_bad_query_is_explained_and_the_last_good_filter_stays(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "tier:1")
        good = names(app)
        assert good and all(r.tier == 1 for r in app.screen.query_one(AccountTable).rows)
        await type_text(pilot, " health:<abc")
        pane = app.screen.query_one(AccountListPane)
        assert pane.has_class("-query-error")
        assert "health: 'abc' is not a number" in static_text(pane.query_one("#filter-error"))
        assert names(app) == good
        for _ in range(len(" health:<abc")):
            await pilot.press("backspace")
        await pilot.pause()
        assert not pane.has_class("-query-error")


async def test_negation_and_free_text(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "-region:emea")
        assert sorted(names(app)) == ["Beta Labs", "Delta Foods"]
        app.screen.query_one(FilterInput).value = "lab"
        await pilot.pause()
        assert names(app) == ["Beta Labs"]


async def test_sorting_by_key_and_header_keeps_the_selection(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one(AccountTable)
        await pilot.press("down")
        await pilot.pause()
        selected = current_name(app)
        await pilot.press("s")  # rank -> tier
        await pilot.pause()
        assert table.sort_column == "tier"
        await pilot.press("s")  # tier -> name
        await pilot.pause()
        assert table.sort_column == "name"
        assert names(app) == sorted(names(app), key=str.casefold)
        assert current_name(app) == selected
        await pilot.press("S")
        await pilot.pause()
        assert names(app) == sorted(names(app), key=str.casefold, reverse=True)
        assert current_name(app) == selected
        # header click on ACV: largest first, accounts without a figure last
        pane = app.screen.query_one(AccountListPane)
        pane.sort_by("acv")
        await pilot.pause()
        acvs = [r.acv if r.acv is not None else r.monetary for r in table.rows]
        present = [a for a in acvs if a is not None]
        assert present == sorted(present, reverse=True)
        assert current_name(app) == selected


async def test_header_click_sorts(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one(AccountTable)
        # the Account column starts after "Tier" (4 cells + a gap)
        await pilot.click(AccountTable, offset=(7, 0))
        await pilot.pause()
        assert table.sort_column == "name"
        assert names(app) == sorted(names(app), key=str.casefold)
        await pilot.click(AccountTable, offset=(7, 0))
        await pilot.pause()
        assert table.sort_reverse


async def test_a_field_being_typed_does_not_filter_until_its_value_comes(workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        everyone = sorted(names(app))
        await pilot.press("slash")
        await type_text(pilot, "tier:abc")
        pane = app.screen.query_one(AccountListPane)
        assert "still showing all accounts" in static_text(pane.query_one("#filter-error"))
        assert sorted(names(app)) == everyone
        for _ in range(len("tier:abc")):
            await pilot.press("backspace")
        await type_text(pilot, "region:emea rfm:>12x")  # the terms before the bad one stay
        assert "still showing “region:emea”" in static_text(pane.query_one("#filter-error"))
        assert sorted(names(app)) == ["Acme Corp", "Epsilon Energy", "Gamma Holdings"]
        for _ in range(len("rfm:>12x")):
            await pilot.press("backspace")
        await type_text(pilot, "foo:bar")  # an unknown field: its term is the faulty one
        assert "still showing “region:emea”" in static_text(pane.query_one("#filter-error"))
        for _ in range(len("region:emea foo:bar")):
            await pilot.press("backspace")
        await type_text(pilot, "industry:")  # not yet "industry is empty" while typing
        assert names(app) == []  # still the free text "industry", which no name contains
        await pilot.press("enter")  # confirmed: accounts with no industry
        await pilot.pause()
        assert names(app) == ["Epsilon Energy"]
