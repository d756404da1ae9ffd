"""Vietnamese text: normalisation, diacritic folding, slugs, sorting, legacy-encoding detection.

Everything here is pure string work so the same rules apply to ids, tags, URLs, search and
duplicate detection.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

# Old ("hoà", "thuỷ") vs new ("hòa", "thủy") tone placement: both are in use and must compare
# equal.  The old style puts the tone on the second vowel of oa/oe/uy; we map it to the new one.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_OLD_TONE_RE = re.compile(
    "([oOuU])([aAeEyY])([" + _TONES + "])(?![a-zA-Z\u0300-\u036f])"
)


def nfc(text: str) -> str:
    """Unicode NFC, the form all stored and compared text uses."""
    return unicodedata.normalize("NFC", text)


def unify_tone_placement(text: str) -> str:
    """Move the tone mark of "oà, oé, uỷ…" (old style) to the first vowel ("òa, óe, ủy").

    Only applies when the pair ends the syllable: "hoàng", "khuyến", "thuyền" keep their
    placement because the tone correctly sits on the second vowel there.
    """
    decomposed = unicodedata.normalize("NFD", text)
    # "qu" + y: in "quý" the u belongs to the consonant, the tone stays on y.
    def repl(m: re.Match) -> str:
        start = m.start()
        if m.group(1) in "uU" and start > 0 and decomposed[start - 1] in "qQ":
            return m.group(0)
        return m.group(1) + m.group(3) + m.group(2)

    return nfc(_OLD_TONE_RE.sub(repl, decomposed))


def normalize(text: str) -> str:
    """NFC plus one tone placement: the canonical form for ids, tags and duplicates."""
    return unify_tone_placement(nfc(text))


def fold(text: str) -> str:
    """Lower-case and strip all diacritics, with đ→d: "Đẩy mạnh" → "day manh".

    Idempotent: fold(fold(x)) == fold(x).
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII URL slug: "Đẩy mạnh chuyển đổi số" → "day-manh-chuyen-doi-so".

    python-slugify (text-unidecode) maps Đ→D correctly; the result is always [a-z0-9-]+.
    """
    slug = _slugify(nfc(text), max_length=max_length, word_boundary=True)
    return slug


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_valid_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value))


def tag_key(tag: str) -> str:
    """Identity of a free-text tag: case, NFC/NFD and tone placement do not matter."""
    return normalize(tag).strip().casefold()


# --- Vietnamese alphabetical order -------------------------------------------------------
# a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; tones are a secondary key in the
# order: none, huyền, hỏi, ngã, sắc, nặng.  Code-point order puts "đ" after "z" and "Ă" far
# from "A", so we build our own key (ICU would do it but is a heavy compiled dependency).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


@lru_cache(maxsize=4096)
def _split_letter(ch: str) -> tuple[str, int]:
    """Return (base letter including shape marks, tone rank) for one NFC character."""
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    shape = "".join(c for c in decomposed[1:] if c in _SHAPE_MARKS)
    tone = 0
    for c in decomposed[1:]:
        if c in _TONE_RANK:
            tone = _TONE_RANK[c]
    return unicodedata.normalize("NFC", base + shape), tone


def sort_key(text: str) -> tuple:
    """Key for Vietnamese alphabetical order (letters first, tones as a tie-breaker)."""
    primary: list[tuple[int, object]] = []
    secondary: list[int] = []
    for ch in normalize(text).lower():
        letter, tone = _split_letter(ch)
        if letter in _LETTER_RANK:
            primary.append((1, _LETTER_RANK[letter]))
            secondary.append(tone)
        elif ch.isdigit():
            primary.append((0, ch))
            secondary.append(0)
        elif ch.isspace():
            primary.append((-1, " "))
            secondary.append(0)
        else:
            primary.append((2, ch))
            secondary.append(0)
    return (tuple(primary), tuple(secondary))


# --- Legacy font encodings (TCVN3/ABC, VNI) pasted from old Word documents -----------------
def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    vowels = "aăâeêioôơuưy"
    for v in vowels:
        for tone in ("",) + tuple(_TONES):
            letters.add(unicodedata.normalize("NFC", v + tone))
    letters |= {c.upper() for c in letters}
    return frozenset(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()
# Non-ASCII characters allowed in correct Vietnamese prose that are not letters.
_ALLOWED_SYMBOLS = set("–—‘’“”…«»•·°²³±×÷€£¥©®™§№‰′″\u00a0\u200b\ufeff")


def legacy_encoding_words(line: str) -> list[str]:
    """Words of `line` that contain characters never found in correct Vietnamese text.

    TCVN3 (".VnTime") text shows up as "c¶i c¸ch hµnh chÝnh" and VNI as "caûi caùch": each
    has Latin-1 characters (¶ ¸ µ û ø …) *inside* words, next to letters.  A whole word of
    correct Vietnamese ("BÌNH ĐỊNH") never does, so it is not flagged; neither are foreign
    letters that stand alone or symbols at a word's edge.
    """
    suspicious = []
    for word in line.split():
        bad = False
        has_ascii_letter = False
        for ch in word:
            if ch.isascii():
                has_ascii_letter |= ch.isalpha()
                continue
            if ch in VIETNAMESE_LETTERS or ch in _ALLOWED_SYMBOLS:
                continue
            code = ord(ch)
            # Latin-1 supplement / Latin Extended-A/B: where legacy-font bytes land.
            if 0x00A1 <= code <= 0x024F:
                bad = True
        if bad and has_ascii_letter:
            suspicious.append(word)
    return suspicious


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors: ASCII with đ→d ("Đường dây nóng" → "duong-day-nong").

    Python-Markdown's default drops "đ" ("uong-day-nong"); the signature matches its
    `toc` extension's `slugify` option.
    """
    import html as _html
    import re as _re

    plain = _html.unescape(_re.sub(r"<[^>]+>", "", value))
    return _slugify(nfc(plain), separator=separator) or "muc"
