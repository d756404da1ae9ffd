"""Vietnamese text: normalisation, diacritic folding, slugs, sorting, legacy-encoding detection.

Everything here is pure string work so the same rules apply to ids, tags, URLs, search and
duplicate detection.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

from .legacy_encodings import TCVN3_TABLE, VNI_TABLE

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


# Before python-slugify: Vietnamese letters lose their marks, and the punctuation of Vietnamese
# titles becomes what text-unidecode makes of it (an apostrophe-like mark becomes nothing, as
# the library drops the apostrophes its transliteration makes).  Text that is then ASCII never
# loads text-unidecode's table (~4 MB for the whole build); anything else goes through the
# library's own transliteration.  tests/test_text.py checks both ways give the same slugs.
_SLUG_FOLD = str.maketrans({
    "đ": "d", "Đ": "D", "“": '"', "”": '"', "–": "-", "—": "--", "…": "...", "«": "<<", "»": ">>",
    "•": "*", "·": "*", "÷": "/", "‐": "-", "‑": "-", "‒": "-", "―": "--", "„": ",,", "‚": ",",
    "‹": "<", "›": ">", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
    "‘": "", "’": "", "′": "", "″": "", "\u00ad": "",
})


def slug_ascii(text: str) -> str:
    """`text` (NFC) with Vietnamese marks and title punctuation folded to ASCII where possible."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SLUG_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII URL slug: "Đẩy mạnh chuyển đổi số" → "day-manh-chuyen-doi-so".

    python-slugify (text-unidecode) maps Đ→D correctly; the result is always [a-z0-9-]+.
    """
    text = nfc(text)
    folded = slug_ascii(text) if "&" not in text else text  # (folding could join an HTML entity)
    return _slugify(folded if folded.isascii() else text, max_length=max_length, word_boundary=True)


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
# Text typed with a TCVN3 (".VnTime") or VNI ("VNI-Times") font is stored as Latin-1 bytes;
# pasted as Unicode it reads "c¶i c¸ch hµnh chÝnh" (TCVN3) or "caûi caùch haønh chính" (VNI).
# A word is reported only when (1) it shows a trace of such an encoding AND (2) read back as
# TCVN3 or VNI it becomes a well-formed Vietnamese syllable.  Foreign names ("Müller",
# "façade", "naïve"), units ("µg") and symbols ("Nº", "m²") fail (2); correct Vietnamese,
# capitals included ("BÌNH ĐỊNH"), never shows (1).  A line is reported when one such word
# has a character that never occurs in Vietnamese (strong), or three words have weaker traces.
def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    vowels = "aăâeêioôơuưy"
    for v in vowels:
        for tone in ("",) + tuple(_TONES):
            letters.add(unicodedata.normalize("NFC", v + tone))
    letters |= {c.upper() for c in letters}
    return frozenset(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()

# The conversion tables (byte → letter for TCVN3, mark sequences for VNI) are those the Word
# import converts legacy-font runs with (cchc.legacy_encodings).
_TCVN3 = TCVN3_TABLE
_VNI = VNI_TABLE
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# Symbols that also occur in correct text (micro sign, ordinals, ©, ®, superscripts…): weak evidence.
_WEAK_SYMBOLS = "µ©®·×ºª¹²³¼½¾"
# Characters of the two encodings that correct Vietnamese never contains: strong evidence.
_STRONG = "".join(sorted(
    ({chr(code) for code in _TCVN3} | set("ûøïåäëüæîöñÛØÏÅÄËÜÆÎÖÑ")) - VIETNAMESE_LETTERS - set(_WEAK_SYMBOLS)
))
_UPPER_LATIN1 = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"
# Weak traces: a capital accented letter after a small letter ("chÝnh"), a small accented
# letter between capitals ("HéI"), and VNI letter + mark pairs made of letters Vietnamese
# has but never in this order ("caùch", "coâng").
_LOWER_LATIN1 = _UPPER_LATIN1.lower()
_TRACE_CHARS = set(_STRONG + _WEAK_SYMBOLS + _UPPER_LATIN1 + _LOWER_LATIN1 + "ùõÙÕâáàãêéèúÂÁÀÃÊÉÈÚ")
# One leading character class (so the regex engine skips plain text fast), then look-behinds.
_TRACE = re.compile(
    "[" + re.escape("".join(sorted(_TRACE_CHARS))) + "]"
    "(?:(?<=[" + re.escape(_STRONG + _WEAK_SYMBOLS) + "])"
    "|(?<=[a-z][" + _UPPER_LATIN1 + "])"
    "|(?<=[A-Z][" + _LOWER_LATIN1 + "])(?=[A-Z])"
    "|(?<=[aeiouyôAEIOUYÔ][ùõÙÕ])|(?<=[aA][âáàãêéèúÂÁÀÃÊÉÈÚ])|(?<=[eE][âáàãÂÁÀÃ])|(?<=[oO][âÂ]))"
)
_STRONG_RE = re.compile("[" + re.escape(_STRONG) + "]")
_WORD_SPLIT = re.compile(r"[\s/\-–—]+")
_EDGE_PUNCT = "\"'()[]{}<>.,;:!?*_`~=+#%^$@&|\\“”‘’…"
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"[ou]?(?:ie|ia|ya|ye|uo|ua|a|e|i|o|u|y)(?:ng|nh|ch|[cmnptiyou])?"
)
_TONE_SET = frozenset(_TONES)


def _is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (onset, rhyme, at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word)
    if sum(1 for c in decomposed if c in _TONE_SET) > 1:
        return False
    return _SYLLABLE.fullmatch(fold(word)) is not None


def _legacy_weight(word: str) -> int:
    """2 (strong evidence), 1 (weak) or 0 (not legacy text) for one word."""
    word = word.strip(_EDGE_PUNCT)
    if not word or not _TRACE.search(word) or not any("a" <= c.lower() <= "z" for c in word):
        return 0
    tcvn3 = word.translate(_TCVN3)
    vni = _VNI_RE.sub(lambda m: _VNI[m.group(0)], word)
    if not ((tcvn3 != word and _is_syllable(tcvn3)) or (vni != word and _is_syllable(vni))):
        return 0
    return 2 if _STRONG_RE.search(word) else 1


def legacy_encoding_words(line: str) -> list[str]:
    """Words of `line` typed in a TCVN3 or VNI font, or [] when the line reads as Unicode."""
    if not _TRACE.search(line):
        return []
    found, strong = [], False
    for word in _WORD_SPLIT.split(line):
        weight = _legacy_weight(word)
        if weight:
            found.append(word)
            strong |= weight == 2
    return found if strong or len(found) >= 3 else []


def legacy_encoding_lines(text: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(1-based line, words) of every line of `text` typed in a TCVN3 or VNI font.

    Text pasted from a legacy-font document always has some character that correct
    Vietnamese never has (¸ µ ¶ « ® for TCVN3, ø û ï ö ñ for VNI): without one anywhere in
    `text` (one fast character-class scan) nothing is reported.  `limit`: stop after that
    many lines.
    """
    if _STRONG_RE.search(text) is None:
        return []
    result = []
    for number, line in enumerate(text.split("\n"), start=1):
        words = legacy_encoding_words(line)
        if words:
            result.append((number, words))
            if limit is not None and len(result) >= limit:
                break
    return result


# --- Invisible characters ------------------------------------------------------------------
# Control characters (C0 but tab and line breaks, DEL, C1) never belong in text: they break
# feeds, Word reports and YAML.  Bidirectional overrides/isolates reorder what readers see
# ("Trojan Source"): refused.  Other format characters (zero-width space/joiners, soft hyphen,
# BOM, word joiner…) are invisible leftovers of copy-paste: removed from one-line fields.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")  # multi-line fields
LINE_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # one-line fields: no tab, no break either
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode category Cf (Unicode 15) minus the bidi controls above, plus invisible fillers.
FORMAT_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2060-\u2064"
    "\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u115f\u1160\u3164\uffa0]"
)


def char_label(ch: str) -> str:
    """"U+202E (RIGHT-TO-LEFT OVERRIDE)": how a message names an invisible character."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def strip_format_chars(text: str) -> tuple[str, list[str]]:
    """`text` without invisible format characters, and the distinct characters removed."""
    found = FORMAT_RE.findall(text)
    if not found:
        return text, []
    return FORMAT_RE.sub("", text), list(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors: ASCII with đ→d ("Đường dây nóng" → "duong-day-nong").

    Python-Markdown's default drops "đ" ("uong-day-nong"); the signature matches its
    `toc` extension's `slugify` option.  Cached: python-slugify is slow and headings repeat.
    """
    plain = html.unescape(re.sub(r"<[^>]+>", "", value))
    return _slugify(nfc(plain), separator=separator) or "muc"
