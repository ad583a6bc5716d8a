"""Does a text name someone? Comparing an insight with the names families signed up with.

Both sides are folded the same way before comparing: Unicode NFKC (full-width letters become plain
ones), a few Cyrillic and Greek letters that look Latin mapped to it ("Rоsa" with a Cyrillic о),
accents removed (NFD without combining marks: "Méndez", "Mendez" and "Me\u0301ndez" are equal), case
folded, invisible characters (zero-width spaces, joiners, direction marks) removed, a possessive "'s"
dropped and apostrophes removed ("O'Brien" is "obrien"), everything else that is not a letter a space.

What counts as naming a family (`mentions`):
- its full name, or any two of its name's words next to each other in either order ("Rosa Méndez",
  "Méndez, Rosa"), also spelt without spaces or with spaces between the letters ("R o s a Méndez");
- a surname alone ("the Méndez family"): in a room of at most a few hundred families a surname is
  enough to recognise one;
- a first name alone ("Rosa said…"): the people who read the summary may have been in the room, and a
  first name with the evening's date is enough for them. Only a warning, so a false alarm costs a tick.

Words too short or too common to identify anyone never match on their own: fewer than three letters,
name particles (de, del, la, van…), and everyday words that are also names (Hope, Grace, Luz, Paz,
Will…) or that sign-up names may contain ("Family", "Familia").
"""

import re
import unicodedata
from dataclasses import dataclass

_LOOKALIKE_LETTERS = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # digits people use for letters
    "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s",
})
_POSSESSIVE = re.compile(r"['’ʼ]s\b")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_LETTER = re.compile(r"[^a-z]+")
_NAME_WORD_BREAK = re.compile(r"[\s\-\u2010-\u2015]+")  # "Jean-Pierre Louis": Jean, Pierre, Louis

MIN_LETTERS = 3
COMMON_WORDS = frozenset("""
    family familia families familias the and for with from our their his her who said dijo que con por para
    one two three four five six seven eight nine ten uno una dos tres cuatro cinco seis siete ocho nueve diez
    los las del van von der den des ter ten ben bin ibn abu san santa
    hope faith grace joy will mark may june april august rose lily iris ivy dawn summer autumn rich
    bill rob pat sue art jack frank guy ray sky star angel
    luz paz sol mar cruz amparo consuelo dolores esperanza socorro rocio pilar mercedes gracia milagros
    rosario reyes nieves fe alma angeles asuncion soledad victoria gloria
    mom mum dad mama papa abuela abuelo madre padre senora senor mrs miss sir
""".split())


def fold(text: str) -> str:
    """Lower-case ASCII letters and single spaces: what is compared."""
    text = unicodedata.normalize("NFKC", text or "").translate(_LOOKALIKE_LETTERS)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width, direction marks
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHES.sub("", text)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return _NOT_LETTER.sub(" ", text.casefold()).strip()


def _distinctive(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word not in COMMON_WORDS


@dataclass(frozen=True)
class Mention:
    name: str  # the family's name as they wrote it
    matched: str  # what of it the text contains, as the family wrote it ("Rosa Méndez", "Méndez")


def _words(text: str) -> list[str]:
    """The folded words of a text, with letters written apart joined again ("R o s a" is "rosa")."""
    words, run = [], []
    for word in fold(text).split():
        if len(word) == 1:
            run.append(word)
            continue
        if run:
            words.append("".join(run))
            run = []
        words.append(word)
    if run:
        words.append("".join(run))
    return words


def mentions(text: str, names: list[str]) -> list[Mention]:
    """The names (of `names`) that `text` contains, each with the part found; in the order of `names`,
    each name once."""
    words = _words(text)
    if not words:
        return []
    present = set(words)
    pairs = set(zip(words, words[1:], strict=False))
    found, seen = [], set()
    for name in names:
        parts = [(fold(w).replace(" ", ""), w) for w in _NAME_WORD_BREAK.split(name or "")]
        parts = [(f, w) for f, w in parts if f]
        key = tuple(f for f, _ in parts)
        if not parts or key in seen:
            continue
        seen.add(key)
        matched = None
        # Two words of the name together, in either order, or run together ("RosaMéndez"): next to each
        # other in the name, or its first and last ("Rosa Méndez" for "Rosa María Méndez Ortiz").
        together = list(zip(parts, parts[1:], strict=False)) + ([(parts[0], parts[-1])] if len(parts) > 2 else [])
        for (a, wa), (b, wb) in together:
            if min(len(a), len(b)) < 2 or not (_distinctive(a) or _distinctive(b)):
                continue
            if (a, b) in pairs or (b, a) in pairs or a + b in present or b + a in present:
                matched = f"{wa} {wb}"
                break
        if matched is None:
            alone = [w for f, w in parts if _distinctive(f) and f in present]
            matched = ", ".join(dict.fromkeys(alone)) or None
        if matched is not None:
            found.append(Mention(name=name, matched=matched))
    return found
