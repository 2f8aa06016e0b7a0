"""Pure domain rules: dataclasses, enums and scoring. No I/O, no Textual, no SQL."""
