"""Text as people type it: one normal form for names on the way in, one folding for searches.

The same name can reach us as different code points: "José" typed on most keyboards is NFC (é is one
code point, U+00E9), but some phones and Mac keyboards send NFD (e + a combining acute, U+0301). They
look identical and compare unequal. So:

- names and titles are stored in NFC (`normalise_name`, called by the services that save them; a data
  migration brought older rows to NFC);
- a search folds both sides the same way: the query with `normalise_search`, the column with `Folded`
  (the same folding done by the database), and compares with `contains`. Whatever form the stored text
  is in (a name edited in the admin bypasses the services), "JOSÉ", "josé" and "Jose\u0301" find "José".

Case folding is `str.lower()`, not `str.casefold()`: the database must fold the column exactly as Python
folds the query, and PostgreSQL has lower() but no casefold (casefold would turn a query "Straße" into
"strasse", which PostgreSQL's lower("Straße") never contains). SQLite's own lower() is ASCII-only, so on
SQLite the column is folded by `normalise_search` itself, registered as a database function.
"""

import re
import unicodedata

from django.db.models import CharField, Func

SEARCH_MAX = 200  # a search longer than this is not a name; the forms refuse longer queries first

_SPACES = re.compile(r"\s+")


def _drop_controls(text: str) -> str:
    """Without control and format characters (NUL, escape, zero-width joiners, direction overrides)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def normalise_name(value: str) -> str:
    """A name or title as it is stored: NFC, outer whitespace removed. Nothing else changes, so that a
    NUL byte or markup still reaches the validation that refuses it with a message."""
    return unicodedata.normalize("NFC", value or "").strip()


def fold(value: str) -> str:
    """NFC and lower case: what `Folded` does to a column, on either database."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", value or "").lower())


def normalise_search(value: str, *, limit: int = SEARCH_MAX) -> str:
    """A query folded for matching: control and format characters dropped, NFC, lower case, runs of
    whitespace made one space, at most `limit` characters. The column it is compared with is folded by
    `Folded`, so both sides of a search compare in one form."""
    return _SPACES.sub(" ", fold(_drop_controls(value or ""))).strip()[:limit]


class Folded(Func):
    """A text column folded as `normalise_search` folds a query: `Folded("first_name")`.

    PostgreSQL: normalize(lower(normalize(col, NFC)), NFC) (a UTF-8 database, as `createdb` makes it, whose locale
    folds more than ASCII: C.UTF-8 or en_US.UTF-8, not plain C). SQLite: `fold`, registered on every
    connection by `sqlite_functions_register`. Both do the same: NFC, then lower case.
    """

    function = "LOWER"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="NORMALIZE(LOWER(NORMALIZE(%(expressions)s, NFC)), NFC)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function=SQLITE_FOLD, **extra)


SQLITE_FOLD = "hub_search_fold"


def _sqlite_fold(value):
    return None if value is None else fold(str(value))


def sqlite_functions_register(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: give SQLite connections the folding function `Folded` calls."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, _sqlite_fold, deterministic=True)
