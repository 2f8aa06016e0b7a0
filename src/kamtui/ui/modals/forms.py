"""Edit forms as modal screens: inline validation that keeps what the user typed.

A form is a list of :class:`FieldSpec`. Saving parses every field; a field that does not parse
shows its message under the input and nothing is submitted. Parsed values go to the screen's
``submit`` callback, which calls the service; a ``ValidationError`` it raises is shown at its
field (``error.field``) and the form stays open with the input intact. The form dismisses with
the callback's result when it succeeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from kamtui.errors import KamtuiError, ValidationError

Kind = Literal["text", "money", "number", "integer", "date", "period", "choice"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: Sequence[tuple[str, str]] = ()  # (label, value) for "choice"
    placeholder: str = ""
    help: str = ""
    allow_negative: bool = False  # money


@dataclass
class FormResult:
    """What ``submit`` returns to close the form (anything; passed to dismiss)."""

    value: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _money(text: str, spec: FieldSpec) -> float:
    raw = text.strip().replace(",", "").replace(" ", "").replace("_", "")
    for symbol in ("$", "€", "£"):
        raw = raw.replace(symbol, "")
    scale = 1.0
    if raw[-1:].lower() in {"k", "m"}:
        scale = 1_000.0 if raw[-1].lower() == "k" else 1_000_000.0
        raw = raw[:-1]
    try:
        value = float(raw) * scale
    except ValueError:
        raise ValueError(
            f"{text!r} is not an amount; write e.g. 120000, 120k or 1,250.50"
        ) from None
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{text!r} is not an amount")
    if value < 0 and not spec.allow_negative:
        raise ValueError("an amount cannot be negative here")
    return value


def parse_value(spec: FieldSpec, text: str) -> Any:
    """The field's value from its text; ValueError with a readable message when it is bad."""
    text = text.strip()
    if not text:
        if spec.required:
            raise ValueError(f"{spec.label} is required")
        return None
    if spec.kind == "text" or spec.kind == "choice":
        return text
    if spec.kind == "money":
        value = _money(text, spec)
    elif spec.kind in ("number", "integer"):
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if spec.kind == "integer":
            if not value.is_integer():
                raise ValueError(f"{text!r} is not a whole number")
            value = int(value)
    elif spec.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2024-09-30") from None
    elif spec.kind == "period":
        from kamtui.domain.kpi import period_bounds

        try:
            period_bounds(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a month (2024-03) or a quarter (2024-Q1)") from None
        return text.upper()
    else:  # pragma: no cover - every kind is handled above
        return text
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{spec.label} runs from {low:g} to {high:g}")
    if low is not None and value < low:
        raise ValueError(f"{spec.label} is at least {low:g}")
    if high is not None and value > high:
        raise ValueError(f"{spec.label} is at most {high:g}")
    return value


def shown(value: Any) -> str:
    """A stored value as the text a form starts with."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:.0f}"
    return str(value)


class FormModal(ModalScreen[Any]):
    """A form of fields; ctrl+s or Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        submit: Callable[[dict[str, Any]], Any],
        initial: dict[str, Any] | None = None,
        *,
        check: Callable[[dict[str, Any]], dict[str, str]] | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit
        self.initial = initial or {}
        self.check = check
        self.note = note
        self.errors: dict[str, str] = {}
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = self.form_title
            box.border_subtitle = "ctrl+s save · esc cancel"
            with VerticalScroll(id="form-fields"):
                if self.note:
                    yield Static(self.note, classes="form-note")
                for spec in self.fields:
                    with Horizontal(classes="form-row"):
                        mark = " *" if spec.required else ""
                        yield Label(f"{spec.label}{mark}", classes="form-label")
                        if spec.kind == "choice":
                            value = self.initial.get(spec.name)
                            options = list(spec.choices)
                            yield Select(
                                options,
                                value=value if value in {v for _, v in options} else Select.NULL,
                                allow_blank=not spec.required,
                                compact=True,
                                id=f"field-{spec.name}",
                                classes="form-input",
                            )
                        else:
                            yield Input(
                                value=shown(self.initial.get(spec.name)),
                                placeholder=spec.placeholder,
                                compact=True,
                                id=f"field-{spec.name}",
                                classes="form-input",
                            )
                    yield Static(spec.help, id=f"error-{spec.name}", classes="form-error")
            yield from self.compose_extra()
            yield Static("", id="form-message")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", compact=True, id="form-save")
                yield Button("Cancel", compact=True, id="form-cancel")

    def compose_extra(self) -> ComposeResult:
        """Widgets below the fields (subclasses)."""
        yield from ()

    def on_mount(self) -> None:
        for spec in self.fields:
            if not spec.help:
                self.query_one(f"#error-{spec.name}").display = False
        first = self.query(".form-input").first()
        first.focus()
        self._started_with = self._typed()

    def _typed(self) -> dict[str, str]:
        return {spec.name: self.raw(spec.name) for spec in self.fields}

    # ------------------------------------------------------------------ values
    def raw(self, name: str) -> str:
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def set_raw(self, name: str, text: str) -> None:
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Input):
            widget.value = text

    def show_error(self, name: str | None, message: str) -> None:
        if name is not None and any(s.name == name for s in self.fields):
            self.errors[name] = message
            error = self.query_one(f"#error-{name}", Static)
            error.update(f"⚠ {message}")
            error.display = True
            error.add_class("-shown")
            self.query_one(f"#field-{name}").add_class("-invalid")
        else:
            self.query_one("#form-message", Static).update(f"⚠ {message}")

    def clear_errors(self) -> None:
        self.errors.clear()
        self.query_one("#form-message", Static).update("")
        for spec in self.fields:
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(spec.help)
            error.display = bool(spec.help)
            error.remove_class("-shown")
            self.query_one(f"#field-{spec.name}").remove_class("-invalid")

    def values(self) -> dict[str, Any] | None:
        """Every field parsed, or None after showing what is wrong."""
        self.clear_errors()
        parsed: dict[str, Any] = {}
        for spec in self.fields:
            try:
                parsed[spec.name] = parse_value(spec, self.raw(spec.name))
            except ValueError as exc:
                self.show_error(spec.name, str(exc))
        if not self.errors and self.check is not None:
            for name, message in self.check(parsed).items():
                self.show_error(name, message)
        if self.errors:
            first = next(iter(self.errors))
            self.query_one(f"#field-{first}").focus()
            return None
        return parsed

    # ------------------------------------------------------------------ actions
    class Refused(Message):
        """The service refused the values (posted from the saving worker)."""

        def __init__(self, field: str | None, message: str) -> None:
            super().__init__()
            self.field = field
            self.message = message

    class Accepted(Message):
        """The service saved the values (posted from the saving worker)."""

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    def action_save(self) -> None:
        """Check the fields here; then save in a worker so a large workspace never freezes
        the screen. The form stays open, input intact, until the service says yes."""
        if self.saving:
            return
        parsed = self.values()
        if parsed is None:
            return
        self.saving = True
        self.query_one("#form-message", Static).update("Saving…")
        self._save(parsed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _save(self, parsed: dict[str, Any]) -> None:
        try:
            result = self.submit(parsed)
        except ValidationError as exc:
            self.post_message(self.Refused(exc.field, str(exc)))
        except KamtuiError as exc:
            self.post_message(self.Refused(None, str(exc)))
        else:
            self.post_message(self.Accepted(result))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        self.query_one("#form-message", Static).update("")
        self.show_error(message.field, message.message)
        if message.field and message.field in self.errors:
            self.query_one(f"#field-{message.field}").focus()

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        self.saving = False
        self.dismiss(message.result)

    def action_cancel(self) -> None:
        """Close; if anything was typed, ask first so a stray Escape loses nothing."""
        if self.saving or self._typed() == getattr(self, "_started_with", None):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal("Discard changes?", "You typed into this form. Close it and lose that?"),
            answered,
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class FilePickModal(FormModal):
    """A path field plus a file tree: Enter on a file adds it to the field."""

    def __init__(self, *args: Any, root: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = root

    def compose_extra(self) -> ComposeResult:
        from pathlib import Path

        from textual.widgets import DirectoryTree

        yield Label("Pick files (Enter adds one; Tab moves between the field and the tree):")
        yield DirectoryTree(self.root or str(Path.cwd()), id="file-tree")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_directory_tree_file_selected(self, event: Any) -> None:
        import shlex

        event.stop()
        field_input = self.query_one("#field-path", Input)
        chosen = shlex.quote(str(event.path))
        parts = field_input.value.split()
        if chosen not in parts:
            field_input.value = " ".join([*parts, chosen]).strip()
        self.query_one("#form-message", Static).update(
            "Added. Pick more, or press ctrl+s to see the preview."
        )


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; y or Enter confirms, n or Escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, title: str, question: str, yes: str | None = "Yes (y)") -> None:
        super().__init__()
        self.confirm_title = title
        self.question = question
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = self.confirm_title
            with VerticalScroll(id="confirm-scroll"):
                yield Static(self.question, id="confirm-question")
            with Horizontal(id="form-buttons"):
                if self.yes_label:
                    yield Button(self.yes_label, variant="error", compact=True, id="confirm-yes")
                yield Button(
                    "No (n)" if self.yes_label else "Close (esc)", compact=True, id="confirm-no"
                )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "answer" and parameters == (True,) and not self.yes_label)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


# ---------------------------------------------------------------------------- the forms
STATUS_CHOICES = [("active", "active"), ("prospect", "prospect"), ("churned", "churned")]
ACTIVITY_CHOICES = [
    ("meeting", "meeting"),
    ("call", "call"),
    ("email", "email"),
    ("login", "login"),
    ("survey answer (NPS 0–10)", "survey_response"),
    ("support ticket", "support_ticket"),
]
SEVERITY_CHOICES = [("critical", "critical"), ("high", "high"), ("normal", "normal")]
KPI_CHOICES = [
    ("NPS (−100…100)", "nps"),
    ("usage", "usage"),
    ("logins", "logins"),
    ("feature adoption %", "feature_adoption"),
    ("support resolution hours", "support_resolution_hours"),
    ("gross margin %", "gross_margin_pct"),
    ("retention rate %", "retention_rate"),
    ("revenue", "revenue"),
]


def _rating(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, label, "integer", minimum=1, maximum=5, placeholder="1–5")


ACCOUNT_FIELDS = [
    FieldSpec("name", "Name", required=True, placeholder="Acme Corp"),
    FieldSpec("owner", "Owner", placeholder="account manager"),
    FieldSpec("region", "Region", placeholder="EMEA"),
    FieldSpec("industry", "Industry"),
    FieldSpec("products", "Products", placeholder="comma-separated, e.g. Core, Analytics"),
    FieldSpec("acv", "ACV", "money", placeholder="annual contract value, e.g. 120k"),
    FieldSpec("renewal_date", "Renewal", "date", placeholder="YYYY-MM-DD"),
    FieldSpec("status", "Status", "choice", required=True, choices=STATUS_CHOICES),
    _rating("rating_strategic_fit", "Strategic fit"),
    _rating("rating_growth", "Growth potential"),
    _rating("rating_partnership", "Partnership"),
    FieldSpec("gross_margin_pct", "Gross margin %", "number", minimum=-100, maximum=100),
    FieldSpec("notes", "Notes"),
]

TRANSACTION_FIELDS = [
    FieldSpec("day", "Date", "date", required=True, placeholder="YYYY-MM-DD"),
    FieldSpec(
        "amount", "Amount", "money", required=True, allow_negative=True,
        placeholder="e.g. 12500 (a refund is negative)",
    ),
    FieldSpec("product", "Product"),
]  # fmt: skip

ACTIVITY_FIELDS = [
    FieldSpec("day", "Date", "date", required=True, placeholder="YYYY-MM-DD"),
    FieldSpec("kind", "Kind", "choice", required=True, choices=ACTIVITY_CHOICES),
    FieldSpec(
        "value", "Value", "number", minimum=0,
        placeholder="survey: 0–10 · ticket: hours to resolve · login: count",
    ),
    FieldSpec("severity", "Severity", "choice", choices=SEVERITY_CHOICES),
    FieldSpec("notes", "Notes"),
]  # fmt: skip

KPI_FIELDS = [
    FieldSpec("period", "Period", "period", required=True, placeholder="2024-06 or 2024-Q2"),
    FieldSpec("metric", "KPI", "choice", required=True, choices=KPI_CHOICES),
    FieldSpec("value", "Value", "number", required=True),
]


def check_activity(values: dict[str, Any]) -> dict[str, str]:
    """Cross-field rules: a survey answer is an NPS answer 0–10."""
    problems = {}
    if values.get("kind") == "survey_response":
        value = values.get("value")
        if value is None:
            problems["value"] = "a survey answer needs the score, 0–10"
        elif not 0 <= value <= 10:
            problems["value"] = "a survey answer (NPS) runs from 0 to 10"
    if values.get("severity") and values.get("kind") != "support_ticket":
        problems["severity"] = "only support tickets have a severity"
    return problems


def check_kpi(values: dict[str, Any]) -> dict[str, str]:
    value = values.get("value")
    metric = values.get("metric")
    if value is None:
        return {}
    if metric == "nps" and not -100 <= value <= 100:
        return {"value": "NPS runs from −100 to 100"}
    if metric in {"feature_adoption", "gross_margin_pct", "retention_rate"} and not (
        0 <= value <= 100
    ):
        return {"value": "a percentage runs from 0 to 100"}
    if metric in {"usage", "logins", "support_resolution_hours"} and value < 0:
        return {"value": "cannot be negative"}
    return {}
