"""QA polish: what a key account manager sees at 80×24, 120×40 and 200×50, a workspace written
by another process, and a save refused by a read-only workspace."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

DEMO_AS_OF = date(2026, 10, 1)


def screen_text(app: Any) -> str:
    """Every line the terminal shows right now, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def widget_text(widget: Any) -> str:
    """The lines one widget shows right now (its visible part), as plain text."""
    region = widget.region
    lines = screen_text(widget.app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


async def settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamtui.demo import ensure_demo

    return Path(ensure_demo(str(tmp_path_factory.mktemp("demo") / "demo.db")))


def demo_app(path: Path) -> Any:
    from kamtui.ui.app import KamtuiApp

    return KamtuiApp(db=str(path), as_of=DEMO_AS_OF)


# ------------------------------------------------------------------ 1. the breakdown
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_breakdown_names_and_bands_are_never_cut(demo_db: Path, size: tuple[int, int]):
    from kamtui.ui.panes.overview import OverviewPane

    app = demo_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        app.screen.BREAKDOWN_DELAY = 0
        await pilot.press("up")
        await settle(app, pilot)
        overview = app.screen.query_one(OverviewPane)
        body = overview.query_one("#overview-body")
        # read the whole breakdown by scrolling the pane through it
        seen: list[str] = []
        overview.scroll_to(y=body.virtual_region.y, animate=False)
        await pilot.pause()
        while True:
            seen.append(widget_text(overview))
            if overview.scroll_y >= overview.max_scroll_y:
                break
            overview.scroll_relative(y=overview.size.height - 2, animate=False)
            await pilot.pause()
        text = "\n".join(seen)
        for words in ("Recency", "Frequency", "Monetary", "Engagement", "Stakeholders",
                      "Strategic fit", "Profitability", "Partnership", "0–30 days"):  # fmt: skip
            assert words in text, (words, text)
        for cut in ("Strategic fi ", "Profitabilit ", "purchase da ", "Feature adopti "):
            assert cut not in text
        # "≥ 12 purchase days" stays whole or wraps between words, never mid-word
        assert re.search(r"purchase\s+(│\s*)?days|purchase\s*$", text, re.M), text
