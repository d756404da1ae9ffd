"""Vietnamese text typed in pre-Unicode fonts, converted to Unicode by the font's encoding.

Before Unicode, Vietnamese Word documents used 8-bit fonts whose glyphs sit at Latin-1
positions: the file stores "Héi nghÞ" and the `.VnTime` font draws "Hội nghị".  Inside a Word
document each run names its font, so the encoding is known and a conversion table is right
(guessing from the text alone, as `text.legacy_encoding_lines` does for pasted Markdown, is
only good enough to warn).

Encodings (chosen by `encoding_for_font`):

- TCVN3 (ABC, TCVN 5712:1993 VN3): fonts `.VnTime`, `.VnArial`, `.VnCentury Schoolbook`… one
  byte per letter, lower case only; capitals with tone marks were typed with the matching
  capitals-only font (`.VnTimeH`, `.VnArialH`…: same bytes, drawn as capitals).
- VNI Windows: fonts `VNI-Times`, `VNI-Helve`… a base letter followed by one or two
  mark characters ("caùch" = "cách").
- VPS: fonts `VPS Times`… one byte per letter, capitals included (some of them in the control
  range, which Word documents cannot hold; the rest is converted).

Word keeps the font's bytes as the Windows-1252 characters of those bytes (0x93 → “), as
Latin-1 code points, or, for symbol fonts, in the private-use range U+F000–U+F0FF; all three
are read back to the byte (`_byte_of`).
"""

from __future__ import annotations

import re
import unicodedata

TCVN3 = "tcvn3"
TCVN3_CAPITALS = "tcvn3-capitals"
VNI = "vni"
VPS = "vps"

NAMES = {
    TCVN3: "TCVN3 (ABC)",
    TCVN3_CAPITALS: "TCVN3 (ABC) chữ hoa",
    VNI: "VNI Windows",
    VPS: "VPS",
}


def encoding_for_font(font: str | None) -> str | None:
    """The legacy encoding a font name stands for, or None for a Unicode font.

    `.VnTime`, `.VnArial NarrowH`, `VNI-Times`, `VNI Helve`, `VPS Times`: the font families
    the Vietnamese legacy keyboards installed, recognised by their name prefixes."""
    if not font:
        return None
    name = font.strip()
    lower = name.lower()
    if lower.startswith(".vn"):
        return TCVN3_CAPITALS if name.endswith("H") else TCVN3
    if re.match(r"vni[- _]", lower):
        return VNI
    if re.match(r"vps[- _]", lower):
        return VPS
    return None


# --- TCVN3 (ABC) ---------------------------------------------------------------------------
# byte → letter: the capitals Ă Â Ê Ô Ơ Ư Đ and every lower-case Vietnamese letter.
_TCVN3_BYTES = (
    [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE]
    + [0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB]
    + [0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE]
    + [0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE]
    + [0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE]
)
_TCVN3_LETTERS = (
    "ĂÂÊÔƠƯĐăâêôơưđ"
    "àảãáạằẳẵắặầẩẫấậ"
    "èẻẽéẹềểễếệìỉĩíị"
    "òỏõóọồổỗốộờởỡớợ"
    "ùủũúụừửữứựỳỷỹýỵ"
)
TCVN3_TABLE: dict[int, str] = dict(zip(_TCVN3_BYTES, _TCVN3_LETTERS))

# --- VPS -------------------------------------------------------------------------------------
# byte → code point for 0x00–0x1D and 0x80–0xFF (the rest is ASCII); 0xFFFD: unassigned.
_VPS_LOW = [
    0x0000, 0x0001, 0x1EA0, 0x1EAC, 0x1EB6, 0x1EB8, 0x1EC6, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B,
    0x000C, 0x000D, 0x000E, 0x000F, 0x1ECA, 0x1ECC, 0x1ED8, 0x1EE2, 0x1EE4, 0x1EF0, 0x0016, 0x0017,
    0x0018, 0x1EF4, 0x001A, 0x001B, 0x1EAA, 0x1EEE,
]
_VPS_HIGH = [
    0x00C0, 0x1EA2, 0x00C3, 0x1EA4, 0x1EA6, 0x1EA8, 0x1ECD, 0x1ED7, 0x0102, 0x1EBF, 0x1EC1, 0x1EC3,
    0x1EC7, 0x1EAE, 0x1EB0, 0x1EB2, 0x1EBE, 0x2018, 0x2019, 0x1EC0, 0x1EC2, 0x1EC4, 0x1ED0, 0x1ED2,
    0x1ED4, 0x1ED6, 0x00FD, 0x1EF7, 0x1EF5, 0x1EDA, 0x1EDC, 0x1EDE, 0x00A0, 0x1EAF, 0x1EB1, 0x1EB3,
    0x1EB5, 0x1EB7, 0x1EE0, 0x1EDB, 0x00D9, 0x1EDD, 0x1EDF, 0x1EE1, 0x0168, 0x1EE8, 0x1EE3, 0x1EEA,
    0x1ED5, 0x1EEC, 0x1EF2, 0x1EF8, 0x00CD, 0x00CC, 0x1ED9, 0x1EC8, 0x0128, 0x00D3, 0x1EED, 0x1EEF,
    0x00D2, 0x1ECE, 0x00D5, 0x1EF1, 0x1EA7, 0x00C1, 0x00C2, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD, 0x0111,
    0x1EBB, 0x00C9, 0x00CA, 0x1EB9, 0x1EC9, 0x1EC5, 0x1ECB, 0x1EF9, 0x01AF, 0x1EE6, 0x1ED3, 0x1ED1,
    0x00D4, 0x1ECF, 0x01A1, 0x00C8, 0x1EEB, 0x1EE9, 0x00DA, 0x0169, 0x01B0, 0x00DD, 0x1EBA, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x1EA3, 0x1EA1, 0x0103, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x1EBD,
    0x00EC, 0x00ED, 0x00EE, 0x0129, 0x1EB4, 0x0110, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x01A0,
    0x1EE5, 0x00F9, 0x00FA, 0x1EE7, 0x00FC, 0x1EF6, 0x1EBC, 0x1EF3,
]
VPS_TABLE: dict[int, str] = {
    byte: chr(code)
    for byte, code in [*enumerate(_VPS_LOW), *zip(range(0x80, 0x100), _VPS_HIGH)]
    if code != byte
}

# --- VNI Windows -----------------------------------------------------------------------------
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}  # sắc huyền hỏi ngã nặng
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# Letters VNI types as one character: i with a tone, ơ, ư, đ, ỵ.
_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ"}


def _vni_sequences() -> dict[str, str]:
    """VNI character sequence → Vietnamese letter, in both cases (the marks have capital forms:
    "AÙ" = "Á"; a capital letter with a small mark, "Aù", is read as capital too)."""
    table: dict[str, str] = {}

    def add(code: str, letter: str) -> None:
        letter = unicodedata.normalize("NFC", letter)
        table[code] = letter
        table[code.upper()] = letter.upper()
        table[code[0].upper() + code[1:]] = letter.upper()

    for single, letter in _SINGLE.items():
        add(single, letter)
    for mark, tone in _TONES.items():
        for base in "aeiouy":
            add(base + mark, base + tone)
        add("ô" + mark, "ơ" + tone)
        add("ö" + mark, "ư" + tone)
    for mark, tone in _CIRCUMFLEX.items():
        for base in "aeo":
            add(base + mark, base + "\u0302" + tone)
    for mark, tone in _BREVE.items():
        add("a" + mark, "a\u0306" + tone)
    return table


VNI_TABLE = _vni_sequences()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))


def _byte_of(ch: str) -> int | None:
    """The font byte Word stored as `ch`, or None for a character no 8-bit font has."""
    code = ord(ch)
    if code < 0x100:
        return code
    if 0xF000 <= code <= 0xF0FF:  # symbol-font private use area
        return code - 0xF000
    try:
        encoded = ch.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return encoded[0]


def _as_bytes_text(text: str) -> str:
    """`text` with every character read back to its font byte, as a Latin-1 character."""
    out = []
    for ch in text:
        byte = _byte_of(ch)
        out.append(ch if byte is None else chr(byte))
    return "".join(out)


def convert(text: str, encoding: str) -> str:
    """Unicode (NFC) for `text` typed in a font of `encoding` (one of TCVN3, TCVN3_CAPITALS, VNI, VPS).

    Bytes the encoding leaves to Windows-1252 (ASCII, quotes “ ”, dashes) keep their meaning."""
    if encoding in (TCVN3, TCVN3_CAPITALS):
        out = []
        for ch in text:
            byte = _byte_of(ch)
            letter = TCVN3_TABLE.get(byte) if byte is not None else None
            out.append(letter if letter is not None else ch)
        result = "".join(out)
        if encoding == TCVN3_CAPITALS:
            result = result.upper()
    elif encoding == VNI:
        latin = _as_bytes_text(text)
        converted = _VNI_RE.sub(lambda m: VNI_TABLE[m.group(0)], latin)
        # Characters VNI did not change go back to what Word stored (0x93 → “, not U+0093).
        result = "".join(c if c not in _LATIN1_C1 else _restore_c1(c) for c in converted)
    elif encoding == VPS:
        out = []
        for ch in text:
            byte = _byte_of(ch)
            letter = VPS_TABLE.get(byte) if byte is not None else None
            out.append(letter if letter is not None else ch)
        result = "".join(out)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", result)


_LATIN1_C1 = frozenset(chr(c) for c in range(0x80, 0xA0))


def _restore_c1(ch: str) -> str:
    try:
        return bytes([ord(ch)]).decode("cp1252")
    except UnicodeDecodeError:
        return ch


# --- The other direction, for tests and fixtures ---------------------------------------------
def encode(text: str, encoding: str) -> str:
    """What Word stores for Unicode `text` typed in a font of `encoding` (the inverse of
    `convert`, as Windows-1252 characters); used to make test documents.  Letters the encoding
    cannot hold raise ValueError."""
    text = unicodedata.normalize("NFC", text)
    if encoding in (TCVN3, TCVN3_CAPITALS):
        reverse = {letter: byte for byte, letter in TCVN3_TABLE.items()}
        source = text.lower() if encoding == TCVN3_CAPITALS else text
        out = []
        for ch in source:
            if ch in reverse:
                out.append(_cp1252_char(reverse[ch]))
            elif ord(ch) < 0x80:
                out.append(ch)
            else:
                raise ValueError(f"{ch!r} cannot be written in {encoding}")
        return "".join(out)
    if encoding == VNI:
        reverse_vni: dict[str, str] = {}
        for code, letter in sorted(VNI_TABLE.items(), key=lambda item: (len(item[0]), item[0])):
            if code in (code.lower(), code.upper()):  # canonical: the marks in the letter's case
                reverse_vni.setdefault(letter, code)
        out = []
        for ch in text:
            if ch in reverse_vni:
                out.append(reverse_vni[ch])
            elif ord(ch) < 0x80:
                out.append(ch)
            else:
                raise ValueError(f"{ch!r} cannot be written in VNI")
        return "".join(_cp1252_char(ord(c)) for c in "".join(out))
    if encoding == VPS:
        reverse_vps = {chr(code): byte for byte, code in zip(range(0x80, 0x100), _VPS_HIGH)}
        out = []
        for ch in text:
            if ch in reverse_vps:
                out.append(_cp1252_char(reverse_vps[ch]))
            elif ord(ch) < 0x80:
                out.append(ch)
            else:
                raise ValueError(f"{ch!r} cannot be written in VPS")
        return "".join(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)
