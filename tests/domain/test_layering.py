"""The domain layer stays pure: importing it loads no Textual and no SQL toolkit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kamtui.domain

FORBIDDEN = ("textual", "sqlmodel", "sqlalchemy", "pandas")
# every module of kamtui.domain, found on disk (new modules are covered automatically)
DOMAIN_MODULES = (
    "kamtui.domain",
    *sorted(f"kamtui.domain.{m.name}" for m in pkgutil.iter_modules(kamtui.domain.__path__)),
    "kamtui.settings",
)


def test_the_scoring_modules_are_all_checked() -> None:
    for name in ("value", "health", "kpi", "alerts", "portfolio", "inputs", "rfm", "models"):
        assert f"kamtui.domain.{name}" in DOMAIN_MODULES


def test_domain_imports_no_ui_or_sql() -> None:
    code = (
        "import sys\n"
        f"for name in {DOMAIN_MODULES!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"domain imported: {out.stdout.strip()}"
