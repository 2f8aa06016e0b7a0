"""The domain layer stays pure: importing it loads no Textual and no SQL toolkit."""

from __future__ import annotations

import subprocess
import sys

DOMAIN_MODULES = (
    "kamtui.domain",
    "kamtui.domain.models",
    "kamtui.domain.inputs",
    "kamtui.domain.rfm",
    "kamtui.domain.value",
    "kamtui.domain.health",
    "kamtui.domain.kpi",
    "kamtui.domain.alerts",
    "kamtui.domain.portfolio",
    "kamtui.settings",
)
FORBIDDEN = ("textual", "sqlmodel", "sqlalchemy", "pandas")


def test_domain_imports_no_ui_or_sql() -> None:
    code = (
        "import sys\n"
        f"for name in {DOMAIN_MODULES!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"domain imported: {out.stdout.strip()}"
