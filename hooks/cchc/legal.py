"""Legal and administrative documents cited in text: detection, normalisation, staff data.

Articles cite documents by number: "Nghị định số 06/2023/NĐ-CP", "Chỉ thị 23/CT-TTg",
"Kế hoạch số 9000/KH-UBND", "Thông tư 22/2023/TT-BTTTT", "Nghị quyết 18-NQ/TW", or the bare
number "06/2023/NĐ-CP".  `Detector` finds such references, normalises each to one canonical
number ("06/2023/NĐ-CP", whatever the spelling: "ND-CP", "NÐ-CP", "NĐ – CP", "6/2023/NĐ-CP")
and an ASCII id ("06-2023-nd-cp") used in URLs.

Numbers are recognised by their shape: number[/year]/CODE-ISSUER (state documents) or
number-CODE/ISSUER (Party documents).  Everything Vietnamese about them (the type words that
may precede a number, what "NĐ" or "TTg" stands for, misprinted spellings of one document) is
data, in content/documents.yml; without that file numbers are still found and shown with
their raw codes.

A number without a year ("45/KH-SGDĐT") is reused by its issuer year after year.  When the
text gives the date right after it ("… số 45/KH-SGDĐT ngày 10/3/2025 của Sở …") the year goes
into the id ("45-kh-sgddt-2025"); numbers that carry their year keep their plain id.

Pure: no MkDocs, no Markdown library.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from .documents import EXPIRED, IN_FORCE, Document
from .diagnostics import Diagnostics, short
from .datafile import DataReader, load_mapping_file, suggest
from . import urlnorm
from .markdown_code import code_lines
from .text import fold, nfc, slugify
from .yamlio import LineDict

DATA_FILE = "documents.yml"

# --- the shape of a document number ------------------------------------------------------
# A code segment: "NĐ", "CP", "TTg", "BGDĐT", "CTr", "QH15" (letters, then at most 3 digits).
_SEG = r"[A-ZĐ][A-Za-zĐđ]*[0-9]{0,3}"
_YEAR = r"(?:19|20)[0-9]{2}"
# Not inside a longer token before (x06/…, 1.06/…, a/06/…) or after (…NĐ-CPx, …NĐ-CP/…).
_BEFORE = r"(?<![\w/.\-])"
_AFTER = r"(?![\w/&])(?!-\w)"
# Characters typed for the ones numbers are written with: Ð ð (U+00D0/U+00F0, Icelandic eth,
# from some keyboards and fonts) for Đ đ; hyphen, non-breaking hyphen, figure dash, en dash and
# minus for "-".  One character for one, so spans found in the mapped text are spans of the text.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                             "\u2013": "-", "\u2212": "-"})
_LOOKALIKE_RE = re.compile("[\u00d0\u00f0\u2010-\u2013\u2212]")
# Every number has a digit, "/" or a dash, then a letter or a year and "/" ("06/2023/…", "23/CT-…",
# "18-NQ/…", "26/CTTTg"): text without one (most paragraphs: "ngày 8/1/2023", "tỷ lệ 95%") is not
# searched further.
HINT_RE = re.compile(r"[0-9][/\-\u2010-\u2013\u2212](?:[A-Za-zĐđ\u00d0\u00f0]|(?:19|20)[0-9]{2}/)")
_SPACE = r"[ \t\u00a0]"
_CODE_RE = re.compile(r"^[A-Za-zĐđ]+$")
_SEG_SPLIT_RE = re.compile(r"^(.*?)([0-9]*)$")
_SEG_SEP_RE = re.compile(r"\s*-\s*")
_URL_RE = re.compile(r"^https://[^\s<>\"'`]+$")  # the official text: https only
# The date a number was issued, written right after it, as citations do: "số 45/KH-SGDĐT ngày
# 10/3/2025", "số 45/KH-SGDĐT, ngày 10 tháng 3 năm 2025", "số 45/KH-SGDĐT của Sở Giáo dục và Đào
# tạo ngày 10/3/2025" (after "của", at most 6 words naming the issuer).  Any other date in the
# sentence ("… và báo cáo về Sở trước ngày 15/11/2022") is not the document's.
_DATE_AFTER_RE = re.compile(
    r"[ \t\u00a0]*,?\s*(?:(?i:của)\s+(?P<issuer>[^\W\d_]+(?:\s+[^\W\d_]+){0,5}?)\s*,?\s*)?"
    r"(?:(?i:ban hành)\s+)?\(?(?i:ngày)\s+"
    r"(?:(?P<d>[0-9]{1,2})[/.\-](?P<m>[0-9]{1,2})[/.\-]|(?P<d2>[0-9]{1,2})\s+(?i:tháng)\s+(?P<m2>[0-9]{1,2})\s+(?i:năm)\s+)"
    rf"(?P<y>{_YEAR})(?![0-9])")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
ALIAS_RE = re.compile(r"^[0-9]{1,5}[/\-]\S+$")


def code_key(code: str) -> str:
    """Identity of a code: "NĐ", "ND", "nđ" are the same code; so are "TTg" and "TTG"."""
    return fold(code).upper()


def _code_pattern(text: str) -> str:
    """A regex for `text` where Đ/D and letter case do not matter (how codes are compared)."""
    return "(?i:" + "".join("[ĐđDd]" if ch in "ĐđDd" else re.escape(ch) for ch in text) + ")"


@lru_cache(maxsize=4096)
def _slug(number: str) -> str:
    return slugify(number)


def document_id(base_id: str, year_in_number: int | None, year: int | None) -> str:
    """The id of a document: its number's id, plus the year when the number has none."""
    if year_in_number is None and year is not None:
        return f"{base_id}-{year}"
    return base_id


@dataclass(frozen=True)
class DocType:
    name: str  # "Nghị định": also the word written before a number
    code: str = ""  # "NĐ": the type code inside a number (none for "Luật")


# documents.yml `status:` as staff write it (compared without diacritics or case).
STATUS_WORDS = {"còn hiệu lực": IN_FORCE, "hết hiệu lực": EXPIRED}


@dataclass(slots=True)  # not frozen: built thousands of times per build, frozen __init__ is slow
class Reference:
    """One citation of a document in a text."""

    id: str  # ASCII, [a-z0-9-]: "06-2023-nd-cp", "45-kh-sgddt-2025"
    number: str  # canonical: "06/2023/NĐ-CP"
    text: str  # as written, including the type word: "Nghị định số 06/2023/ND-CP"
    start: int  # span of `text` in the NFC text searched
    end: int
    type_word: str = ""  # type named before the number ("Nghị định"), canonical spelling
    code_type: str = ""  # type given by the code of the number ("NĐ" → "Nghị định")
    type_code: str = ""  # "NĐ"
    issuer_codes: tuple[str, ...] = ()  # ("CP",)
    issuer: str = ""  # names of the issuer codes ("Chính phủ"), else the raw codes
    year: int | None = None  # the year inside the number
    base_id: str = ""  # the id of the number alone ("45-kh-sgddt")
    dated_year: int | None = None  # year of the "ngày dd/mm/yyyy" written after a number without year
    undated: bool = False  # no year known: may be any document with this number
    number_start: int = 0  # where the number itself starts (after the type word)

    @property
    def type(self) -> str:
        """The document's type: the code is part of the official number, so it wins."""
        return self.code_type or self.type_word


class Citation(NamedTuple):
    """What the document index keeps of one citation in an article (a compact, shared-string
    form of a `Reference`: thousands of articles cite the same few documents)."""

    id: str
    base_id: str
    number: str
    undated: bool
    type_word: str
    code_type: str
    issuer: str
    year: int | None

    @classmethod
    def of(cls, ref: Reference) -> "Citation":
        intern = sys.intern
        return cls(intern(ref.id), intern(ref.base_id), intern(ref.number), ref.undated, intern(ref.type_word),
                   intern(ref.code_type), intern(ref.issuer), ref.year)


@dataclass(frozen=True)
class _Number:
    """What a number says by itself, whatever the text around it."""

    number: str
    base_id: str
    code_type: str
    type_code: str
    issuer_codes: tuple[str, ...]
    issuer: str
    year: int | None


class Detector:
    """Finds document references in text, knowing the type words and codes of the data file.

    `aliases` maps other spellings of a number ("26/CTTTg") to (document id, canonical number).
    """

    # Filled as text is searched: not part of what the detector is (cchc.convert fingerprints it).
    CACHE_ATTRIBUTES = ("_numbers",)

    def __init__(self, types: Iterable[DocType] = (), issuers: Mapping[str, str] | None = None,
                 aliases: Mapping[str, tuple[str, str]] | None = None):
        types = tuple(types)
        issuers = dict(issuers or {})
        self._type_by_word = {" ".join(nfc(t.name).split()).casefold(): t.name for t in types}
        self._type_by_code = {code_key(t.code): t for t in types if t.code}
        self._issuer_by_code = {code_key(code): name for code, name in issuers.items()}
        self._spelling: dict[str, str] = {}  # code key → spelling of the data file
        for code in [t.code for t in types if t.code] + list(issuers):
            self._spelling.setdefault(code_key(code), code)
        self._numbers: dict[str, _Number] = {}  # cache: number as matched → what it says

        # "NĐ - CP", "QĐ – BNV": a spaced dash only before a known issuer code.
        sep = "-"
        if issuers:
            known = "|".join(_code_pattern(c) for c in sorted(issuers, key=len, reverse=True))
            sep = rf"(?:-|{_SPACE}?-{_SPACE}?(?=(?:{known})(?![\w])))"
        state = (
            r"(?P<num>[0-9]{1,5})"
            rf"(?:/(?P<year>{_YEAR})/(?P<code>{_SEG}(?:{sep}{_SEG})+|[A-ZĐ]{{2,}}[0-9]{{1,3}})"  # 06/2023/NĐ-CP, 80/2015/QH13
            rf"|/(?P<code_ny>{_SEG}(?:{sep}{_SEG})+))"  # 23/CT-TTg, 9000/KH-UBND
        )
        party = rf"(?P<pnum>[0-9]{{1,4}})-(?P<ptype>[A-ZĐ][A-Za-zĐđ]{{0,3}})/(?P<pissuer>{_SEG})"  # 18-NQ/TW
        # Matched only where HINT_RE points (see find): every alternative starts with a digit.
        self._plain = re.compile(_BEFORE + rf"(?:{state}|{party})" + _AFTER)
        # Misprints of a number, as the data file lists them (they start with a digit too).
        self._aliases: dict[str, tuple[str, _Number]] = {}
        for alias, (doc_id, number) in (aliases or {}).items():
            info = self._number_of(number)
            if info is not None:
                self._aliases[code_key(nfc(alias).strip().translate(_LOOKALIKES))] = (doc_id, info)
        alias_pattern = ""
        if self._aliases:
            spellings = sorted({nfc(a).strip().translate(_LOOKALIKES) for a in aliases or {}
                                if code_key(nfc(a).strip().translate(_LOOKALIKES)) in self._aliases}, key=len, reverse=True)
            alias_pattern = "(?P<alias>" + "|".join(_code_pattern(a) for a in spellings) + ")|"
        self._pattern = re.compile(_BEFORE + rf"(?:{alias_pattern}{state}|{party})" + _AFTER)

        # Type words are looked for backwards from the number: the text before it is reversed, so
        # one anchored match does what a search for a match ending at the number would.
        words = sorted(self._type_by_word.values(), key=len, reverse=True)  # longest first
        self._near = self._far = None
        if words:
            backwards = "|".join(r"\s+".join(re.escape(part[::-1]) for part in reversed(nfc(w).split())) for w in words)
            # "Nghị định số 06/…", "Nghị định 06/…": part of the reference.
            self._near = re.compile(rf"\s+(?:(?i:ốs)\s+)?(?P<word>(?i:{backwards}))(?!\w)")
            # "Luật Tổ chức chính quyền địa phương số 77/2015/QH13": names the type, up to 8 words before "số".
            self._far = re.compile(rf"\s+(?i:ốs)(?:\s+[^\W\d_]+){{1,8}}?\s+(?P<word>(?i:{backwards}))(?!\w)")

    # --- codes -----------------------------------------------------------------------------
    def _segment(self, segment: str) -> tuple[str, str]:
        """(canonical spelling, key of its letters): "ND" → ("NĐ", "ND"), "QH15" → ("QH15", "QH")."""
        letters, digits = _SEG_SPLIT_RE.match(segment).groups()
        key = code_key(letters)
        return self._spelling.get(key, letters) + digits, key

    def _issuer_name(self, keys: list[str], spelled: list[str]) -> str:
        names = [self._issuer_by_code[k] for k in keys if k in self._issuer_by_code]
        return ", ".join(dict.fromkeys(names)) if names else "-".join(spelled)

    def _number(self, match: re.Match) -> _Number:
        """What the number of a match says (cached: an article cites the same few numbers)."""
        matched = match.group(0)
        info = self._numbers.get(matched)
        if info is not None:
            return info
        groups = match.groupdict()
        if groups.get("pnum"):
            type_spelled, type_key = self._segment(groups["ptype"])
            issuer_spelled, issuer_key = self._segment(groups["pissuer"])
            number = f"{int(groups['pnum']):02d}-{type_spelled}/{issuer_spelled}"
            issuers, issuer_keys, year = [issuer_spelled], [issuer_key], None
        else:
            code = groups.get("code") or groups.get("code_ny")
            parts = [self._segment(s) for s in _SEG_SEP_RE.split(code)]
            first_key = parts[0][1]
            if len(parts) > 1 and (first_key in self._type_by_code or first_key not in self._issuer_by_code):
                (type_spelled, type_key), rest = parts[0], parts[1:]
            else:  # "80/2015/QH13", "123/SGDĐT-VP": no type code
                type_spelled, type_key, rest = "", "", parts
            issuers, issuer_keys = [p[0] for p in rest], [p[1] for p in rest]
            year = int(groups["year"]) if groups.get("year") else None
            number = f"{int(groups['num']):02d}" + (f"/{year}" if year else "") + "/" + "-".join(p[0] for p in parts)
        doc_type = self._type_by_code.get(type_key)
        info = self._numbers[matched] = _Number(
            number=number, base_id=_slug(number), code_type=doc_type.name if doc_type else "",
            type_code=type_spelled, issuer_codes=tuple(issuers), issuer=self._issuer_name(issuer_keys, issuers),
            year=year)
        return info

    def _number_of(self, text: str) -> _Number | None:
        match = self._plain.fullmatch(nfc(text).strip().translate(_LOOKALIKES))
        return self._number(match) if match else None

    def _type_word(self, probe: str, start: int) -> tuple[str, int]:
        """(canonical type word, where the reference starts) for a number at `start`."""
        if self._near is None:
            return "", start
        lo = max(0, start - 160)
        before = probe[lo:start][::-1]
        for pattern, span in ((self._near, True), (self._far, False)):
            match = pattern.match(before)
            # a word cut by the window is not a type word
            if match and not (match.end() == len(before) and lo > 0 and probe[lo - 1].isalnum()):
                word = self._type_by_word[" ".join(match.group("word")[::-1].split()).casefold()]
                return word, (start - match.end() if span else start)
        return "", start

    @staticmethod
    def _date_year(probe: str, end: int) -> int | None:
        """The year of a "ngày dd/mm/yyyy" following a number in the same sentence, if any."""
        if probe.find("gày", end, end + 100) < 0:  # most numbers: no "ngày"/"Ngày" near
            return None
        match = _DATE_AFTER_RE.match(probe, end)
        if not match or _BLANK_LINE_RE.search(match.group(0)):
            return None
        if match.group("issuer") and not match.group("issuer")[0].isupper():  # "của Sở …", not "của mình"
            return None
        day, month = match.group("d") or match.group("d2"), match.group("m") or match.group("m2")
        try:
            return dt.date(int(match.group("y")), int(month), int(day)).year
        except ValueError:
            return None

    def _reference(self, probe: str, text: str, match: re.Match) -> Reference:
        number_start, end = match.span()
        type_word, start = self._type_word(probe, number_start)
        alias = match.group("alias") if self._aliases else None
        if alias:
            doc_id, info = self._aliases[code_key(alias)]
            dated_year, undated = None, doc_id == info.base_id  # the data file gave no year
        else:
            info = self._number(match)
            dated_year = self._date_year(probe, end) if info.year is None else None
            doc_id = document_id(info.base_id, info.year, dated_year)
            undated = info.year is None and dated_year is None
        return Reference(
            id=doc_id, number=info.number, text=text[start:end], start=start, end=end, type_word=type_word,
            code_type=info.code_type, type_code=info.type_code, issuer_codes=info.issuer_codes,
            issuer=info.issuer, year=info.year, base_id=info.base_id, dated_year=dated_year, undated=undated,
            number_start=number_start)

    # --- finding ---------------------------------------------------------------------------
    def find(self, text: str) -> list[Reference]:
        """Every reference in `text`, in order; spans are in nfc(text)."""
        text = nfc(text)
        # Every number has a hint at the end of its first run of digits: the whole pattern is
        # tried only there.  (The hint is found with or without look-alike characters.)
        refs: list[Reference] = []
        done = 0
        probe = ""
        for hint in HINT_RE.finditer(text):
            if not probe:
                probe = text.translate(_LOOKALIKES) if _LOOKALIKE_RE.search(text) else text
            start = hint.start()
            if start < done:
                continue
            while start > done and "0" <= probe[start - 1] <= "9":
                start -= 1
            match = self._pattern.match(probe, start)
            if match:
                refs.append(self._reference(probe, text, match))
                done = match.end()
        return refs

    def parse(self, number: str) -> Reference | None:
        """The reference a whole string is ("06/2023/NĐ-CP", "Nghị định số 6/2023/ND-CP"), or None."""
        text = nfc(number).strip()
        refs = self.find(text)
        if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(text):
            return refs[0]
        return None

    def find_in_markdown(self, markdown: str) -> list[Reference]:
        """References in the prose of a Markdown text: not in code, URLs or HTML attributes."""
        markdown = nfc(markdown)
        if not HINT_RE.search(markdown):
            return []
        return self.find(markdown_prose(markdown))


# --- Markdown prose ------------------------------------------------------------------------
_HTML_CODE_OPEN_RE = re.compile(r"<!--|<(code|pre|kbd|samp|script|style)\b[^<>]*>", re.I)


def _drop_html_code(text: str) -> str:
    """HTML comments and code elements (<code>, <pre>, <kbd>, <samp>, <script>, <style>)
    replaced by a space, in linear time: each opening looks for its closing once, and an opening
    never closed stays (a regular expression with ".*?" rescanned the rest for each of 16,000
    unclosed "<code>", 40 s)."""
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # kinds with no closing after some point: later openings neither
    for match in _HTML_CODE_OPEN_RE.finditer(text):
        if match.start() < pos:
            continue
        kind = (match.group(1) or "!--").lower()
        if kind in unclosed:
            continue
        if kind == "!--":
            end = text.find("-->", match.end())
            end = -1 if end < 0 else end + 3
        else:
            closing = re.compile(rf"</{kind}\s*>", re.I).search(text, match.end())
            end = -1 if closing is None else closing.end()
        if end < 0:
            unclosed.add(kind)
            continue
        parts += [text[pos:match.start()], " "]
        pos = end
    return "".join(parts) + text[pos:] if parts else text
_CODE_SPAN_RE = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+.*$", re.M)  # not footnotes: "[^1]: …" is text
_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]")  # alt text of an image is not prose
_LINK_DEST_RE = re.compile(r"\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
# attr_list's "{: title=… }": on a line of its own, at the end of a heading, or right after an
# element (no space before); "text {: … }" with a space before stays text.
_ATTRS = r"\{(?::[^}\n]*|[ \t]*(?:[#.][\w-]|\w+=)[^}\n]*)\}"
_ATTR_LIST_RE = re.compile(rf"^[ \t]*{_ATTRS}[ \t]*$|^([ \t]*#[^\n]*?)[ \t]+{_ATTRS}[ \t]*$|(?<=[^\s{{]){_ATTRS}", re.M)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_BARE_URL_RE = re.compile(r"(?:https?|ftp)://\S+|(?<![\w.])www\.\S+")
_EMPHASIS_RE = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")


def _drop_code_blocks(text: str) -> str:
    """Blank out fenced code and indented code blocks (cchc.markdown_code), keeping the line count."""
    flags = code_lines(text)
    if flags is None:  # most articles: no line indented by 4, no fence
        return text
    return "\n".join("" if code else line for line, code in zip(text.split("\n"), flags))


def markdown_prose(markdown: str) -> str:
    """The text of a Markdown document a reader sees as prose: headings, link texts, footnotes
    and paragraphs stay; fenced and indented code, code spans, HTML code elements, image alt
    texts, link destinations, attribute lists, URLs, HTML tags and comments go (replaced by a
    space, so no two words are joined); emphasis markers go.

    A fast approximation of the Markdown parse, enough to decide which documents an article
    cites; it never invents text, so what it finds is also in the rendered prose.
    """
    text = _drop_code_blocks(nfc(markdown))
    if "<" in text:
        text = _drop_html_code(text)
    if "`" in text:
        text = _CODE_SPAN_RE.sub(" ", text)
    if "]" in text:
        text = _REF_DEF_RE.sub(" ", text)
        text = _IMAGE_RE.sub(" ", text)
        text = _LINK_DEST_RE.sub("] ", text)
    if "{" in text:
        text = _ATTR_LIST_RE.sub(lambda m: (m.group(1) or "") + " ", text)
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "://" in text or "www." in text:
        text = _BARE_URL_RE.sub(" ", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS_RE.sub("", text)
    return text


# --- the data file -------------------------------------------------------------------------
@dataclass
class LegalData:
    """content/documents.yml: type words and codes, issuer codes, metadata per document."""

    types: tuple[DocType, ...] = ()
    issuers: dict[str, str] = field(default_factory=dict)  # code as spelled in the file → name
    documents: dict[str, Document] = field(default_factory=dict)  # by document id
    path: Path | None = None

    @cached_property
    def detector(self) -> Detector:
        aliases = {alias: (doc_id, info.number) for doc_id, info in self.documents.items() for alias in info.aliases}
        return Detector(self.types, self.issuers, aliases)

    def citations(self, title: str, markdown: str) -> tuple[Citation, ...]:
        """Every citation of a document in an article's title and body, in order."""
        detector = self.detector
        return tuple(Citation.of(ref) for ref in detector.find(title) + detector.find_in_markdown(markdown))

    def canonical_type(self, name: str) -> str:
        """A type name as the data file spells it ("nghị định" → "Nghị định"), else as given."""
        key = " ".join(nfc(name).split()).casefold()
        for doc_type in self.types:
            if nfc(doc_type.name).casefold() == key:
                return doc_type.name
        return " ".join(nfc(name).split())


TOP_KEYS = ("types", "issuers", "documents")
TYPE_KEYS = ("name", "code")
ISSUER_KEYS = ("code", "name")
DOCUMENT_KEYS = ("number", "year", "type", "date", "issuer", "title", "url", "aliases",
                 "effective", "status", "expired", "replaced_by", "amended_by")


def _unknown_keys(reader: DataReader, mapping: LineDict, known: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in known:
            guess = suggest(str(key), known)
            hint = f"có phải ý bạn là “{guess}”?" if guess else "các mục dùng được: " + ", ".join(known)
            reader.error(mapping.line_of(key), f"mục “{short(key)}” không dùng được trong {where}", hint)


def _code(reader: DataReader, mapping: LineDict, required: bool) -> str:
    code = reader.text(mapping, "code", required=required)
    if code and not _CODE_RE.match(code):
        reader.error(mapping.line_of("code"), f"mã “{short(code)}” không hợp lệ",
                     "mã chỉ gồm chữ cái, không dấu cách, số hay gạch ngang, ví dụ NĐ hoặc BGDĐT")
        return ""
    return code


def _year(reader: DataReader, mapping: LineDict) -> int | None:
    value = mapping.get("year")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2099:
        reader.error(mapping.line_of("year"), f"năm “{short(value)}” không hợp lệ", "ghi năm ban hành bằng 4 chữ số, ví dụ year: 2025")
        return None
    return value


def _aliases(reader: DataReader, mapping: LineDict) -> list[str]:
    value = mapping.get("aliases")
    if value is None:
        return []
    if isinstance(value, (str, int)):  # one spelling written without the list brackets
        value = [value]
    if not isinstance(value, list):
        reader.error(mapping.line_of("aliases"), "“aliases” phải là một danh sách", 'ví dụ aliases: ["26/CTTTg"]')
        return []
    return [nfc(str(v)).strip() for v in value if v is not None and str(v).strip()]


_DATE_VALUE_RE = re.compile(r":\s*[\"']?([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\b")


def _impossible_date_line(path: Path) -> int:
    """The first line holding a date that does not exist (0 if none is found)."""
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        for match in _DATE_VALUE_RE.finditer(line):
            try:
                dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return number
    return 0


_STATUS_EXAMPLE = "status: còn hiệu lực (hoặc: status: hết hiệu lực)"


def _number_field(reader: DataReader, line: int, value: object, key: str, detector: "Detector"):
    """A document number written in another field (replaced_by, amended_by): its reference, or None."""
    text = nfc(str(value)).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    ref = detector.parse(text) if text else None
    if ref is None or ref.type_word:
        reader.error(line, f"“{key}”: “{short(value)}” không đúng dạng số hiệu văn bản",
                     f"chỉ ghi số hiệu của văn bản kia, ví dụ {key}: \"118/2025/NĐ-CP\"")
        return None
    return ref


def _status_fields(reader: DataReader, item: LineDict, detector: "Detector", ref: "Reference",
                   date: dt.date | None, pending: list) -> dict:
    """effective, expired, status, replaced_by, amended_by of one documents.yml entry, checked."""
    effective = reader.date(item, "effective")
    expired = reader.date(item, "expired")
    status = ""
    if item.get("status") is not None:
        written = " ".join(nfc(str(item.get("status"))).split()).casefold()
        status = STATUS_WORDS.get(written) or next((v for k, v in STATUS_WORDS.items() if fold(k) == fold(written)), "")
        if not status:
            guess = suggest(written, list(STATUS_WORDS))
            reader.error(item.line_of("status"), f"tình trạng “{short(item.get('status'))}” không dùng được",
                         (f"có phải ý bạn là “{guess}”? " if guess else "") + f"viết {_STATUS_EXAMPLE}")
    if effective and date and effective < date:
        reader.error(item.line_of("effective"), f"ngày có hiệu lực {effective:%d/%m/%Y} trước ngày ban hành {date:%d/%m/%Y}",
                     "kiểm tra lại effective: và date:")
        effective = None
    if expired and (effective or date) and expired <= (effective or date):
        reader.error(item.line_of("expired"),
                     f"ngày hết hiệu lực {expired:%d/%m/%Y} không sau ngày {'có hiệu lực' if effective else 'ban hành'} "
                     f"{(effective or date):%d/%m/%Y}", "kiểm tra lại expired:")
        expired = None
    replaced_by = ""
    if item.get("replaced_by") is not None:
        line = item.line_of("replaced_by")
        other = _number_field(reader, line, item.get("replaced_by"), "replaced_by", detector)
        if other is not None and other.base_id == ref.base_id:
            reader.error(line, "văn bản không thể tự thay thế chính nó", "ghi số hiệu của văn bản mới thay thế văn bản này")
        elif other is not None:
            replaced_by = other.number
            pending.append((line, ref.base_id, other.base_id, date))
    if status == IN_FORCE and (replaced_by or expired):
        reader.error(item.line_of("status"), "văn bản ghi “còn hiệu lực” nhưng lại có "
                     + ("văn bản thay thế (replaced_by)" if replaced_by else "ngày hết hiệu lực (expired)"),
                     "văn bản đã bị thay thế hoặc đã hết hiệu lực: xóa dòng status (hoặc ghi status: hết hiệu lực)")
        status = ""
    if not status and (replaced_by or expired):
        status = EXPIRED
    amended: list[str] = []
    value = item.get("amended_by")
    if value is not None:
        line = item.line_of("amended_by")
        values = value if isinstance(value, list) else [value]
        for one in values:
            other = _number_field(reader, line, one, "amended_by", detector)
            if other is not None and other.base_id == ref.base_id:
                reader.error(line, "văn bản không thể tự sửa đổi chính nó", "ghi số hiệu của văn bản sửa đổi, bổ sung")
            elif other is not None and other.number not in amended:
                amended.append(other.number)
    return {"effective": effective, "expired": expired, "status": status, "replaced_by": replaced_by,
            "amended_by": tuple(amended)}


def _check_replacements(reader: DataReader, data: "LegalData", detector: "Detector", pending: list) -> None:
    """A replacement issued before the document it replaces, or a circle of replacements, is a
    mistake in the file (the page would send citizens from one document to the other and back)."""
    dates = {}
    replaced: dict[str, str] = {}
    for line, own, other, date in pending:
        replaced[own] = other
        if date is not None:
            dates[own] = date
    for info in data.documents.values():
        parsed = detector.parse(info.number) if info.date else None
        if parsed is not None:
            dates.setdefault(parsed.base_id, info.date)
    for line, own, other, date in pending:
        if date is not None and other in dates and dates[other] < date:
            reader.error(line, f"văn bản thay thế ban hành ngày {dates[other]:%d/%m/%Y}, trước văn bản bị thay thế "
                         f"({date:%d/%m/%Y})", "kiểm tra lại replaced_by: (văn bản thay thế phải ban hành sau)")
        seen, current = {own}, other
        while current in replaced:
            current = replaced[current]
            if current in seen:
                reader.error(line, "các văn bản thay thế nhau thành vòng (A thay B, B lại thay A)",
                             "mỗi văn bản chỉ ghi replaced_by là văn bản mới hơn")
                break
            seen.add(current)


def load_legal_data(path: Path, diags: Diagnostics) -> LegalData:
    """Read and check content/documents.yml; a missing file is no data (not an error)."""
    path = Path(path)
    if not path.exists():
        return LegalData()
    data = LegalData(path=path)
    try:
        loaded = load_mapping_file(path, diags, "documents.yml phải gồm các mục types:, issuers: và documents:")
    except ValueError:  # PyYAML builds dates itself: "2023-02-30" raises instead of a YAML error
        line = _impossible_date_line(path)
        diags.error(path, line, "có ngày không tồn tại", "kiểm tra ngày và tháng, viết dạng YYYY-MM-DD, ví dụ 2023-02-21")
        return data
    if loaded is None:
        return data
    reader, raw = loaded
    _unknown_keys(reader, raw, TOP_KEYS, "documents.yml")

    types: list[DocType] = []
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for item in reader.items(raw, "types", required=False):
        _unknown_keys(reader, item, TYPE_KEYS, "một loại văn bản (types)")
        name = " ".join(reader.text(item, "name").split())
        code = _code(reader, item, required=False)
        if not name:
            continue
        key = name.casefold()
        if key in seen_names:
            reader.error(item.line_of("name"), f"loại văn bản “{short(name)}” bị khai báo hai lần (lần đầu ở dòng {seen_names[key]})",
                         "giữ một mục, xóa mục còn lại")
            continue
        seen_names[key] = item.line_of("name")
        if code:
            if code_key(code) in seen_codes:
                reader.error(item.line_of("code"), f"mã loại “{short(code)}” bị dùng hai lần (lần đầu ở dòng {seen_codes[code_key(code)]})",
                             "mỗi mã chỉ thuộc một loại văn bản")
                code = ""
            else:
                seen_codes[code_key(code)] = item.line_of("code")
        types.append(DocType(name, code))
    data.types = tuple(types)

    issuer_lines: dict[str, int] = {}
    for item in reader.items(raw, "issuers", required=False):
        _unknown_keys(reader, item, ISSUER_KEYS, "một cơ quan ban hành (issuers)")
        code = _code(reader, item, required=True)
        name = reader.text(item, "name")
        if not code or not name:
            continue
        key = code_key(code)
        if key in issuer_lines:
            reader.error(item.line_of("code"), f"mã cơ quan “{short(code)}” bị khai báo hai lần (lần đầu ở dòng {issuer_lines[key]})",
                         "giữ một mục, xóa mục còn lại")
            continue
        if key in seen_codes:
            reader.error(item.line_of("code"), f"mã “{short(code)}” đã là mã loại văn bản (dòng {seen_codes[key]})",
                         "một mã chỉ là mã loại văn bản hoặc mã cơ quan, không là cả hai")
            continue
        issuer_lines[key] = item.line_of("code")
        data.issuers[code] = name

    _load_documents(reader, raw, data)
    return data


def _load_documents(reader: DataReader, raw: LineDict, data: LegalData) -> None:
    detector = Detector(data.types, data.issuers)
    type_names = [t.name for t in data.types]
    document_lines: dict[str, int] = {}  # id → line
    numbers: dict[str, tuple[int, bool]] = {}  # number's id → (line of its first entry, that entry has a year)
    alias_lines: dict[str, int] = {}  # alias key → line
    other_numbers: list[tuple[str, int, str, str]] = []  # (alias, line, id of the number it spells, own number's id)
    pending: list[tuple[int, str, str, dt.date | None]] = []  # replaced_by: (line, own number's id, replacement's id, own date)
    for item in reader.items(raw, "documents", required=False):
        _unknown_keys(reader, item, DOCUMENT_KEYS, "một văn bản (documents)")
        number = reader.text(item, "number")
        if not number:
            continue
        line = item.line_of("number")
        ref = detector.parse(number)
        if ref is None or ref.type_word:
            reader.error(line, f"số hiệu “{short(number)}” không đúng dạng số hiệu văn bản",
                         "chỉ ghi số hiệu, ví dụ 06/2023/NĐ-CP, 23/CT-TTg hoặc 18-NQ/TW (loại văn bản ghi ở mục type)")
            continue
        year = _year(reader, item)
        date = reader.date(item, "date")
        if year is not None and ref.year is not None and year != ref.year:
            reader.error(item.line_of("year"), f"năm {year} khác năm {ref.year} trong số hiệu “{short(number)}”",
                         "số hiệu đã có năm: xóa dòng year:")
            year = None
        if year is not None and date is not None and date.year != year:
            reader.error(item.line_of("date"), f"ngày {date:%d/%m/%Y} không thuộc năm {year} ghi ở mục year",
                         "sửa year: hoặc date: cho khớp nhau")
        own_year = ref.year or year or (date.year if date else None)
        doc_id = document_id(ref.base_id, ref.year, own_year)
        first = numbers.get(ref.base_id)
        if doc_id in document_lines or (first and not (first[1] and own_year)):
            first_line = document_lines.get(doc_id) or first[0]
            reader.error(line, f"văn bản “{short(number)}” bị khai báo hai lần (lần đầu ở dòng {first_line})",
                         "gộp hai mục thành một; nếu là hai văn bản cùng số hiệu ban hành ở hai năm khác nhau, "
                         "ghi year: (năm ban hành) cho cả hai")
            continue
        document_lines[doc_id] = line
        numbers.setdefault(ref.base_id, (line, own_year is not None))
        doc_type = reader.text(item, "type", required=False)
        if doc_type and type_names:
            canonical = data.canonical_type(doc_type)
            if canonical not in type_names:
                guess = suggest(doc_type, type_names)
                reader.error(item.line_of("type"), f"loại văn bản “{short(doc_type)}” không có trong types",
                             f"có phải ý bạn là “{short(guess)}”?" if guess else "dùng một trong: " + ", ".join(short(t) for t in type_names))
            doc_type = canonical
        url = reader.text(item, "url", required=False)
        parsed = urlnorm.parse(url) if url else None
        if url and (not _URL_RE.match(url) or parsed is None or not parsed.host or parsed.userinfo is not None):
            reader.error(item.line_of("url"), f"địa chỉ toàn văn “{short(url)}” không hợp lệ",
                         "ghi địa chỉ đầy đủ bắt đầu bằng https:// (không dùng http://), không có dấu cách, không có "
                         "phần “tên@” trước tên miền, ví dụ url: https://vanban.chinhphu.vn/?pageid=27160&docid=…")
            url = ""
        status = _status_fields(reader, item, detector, ref, date, pending)
        aliases: list[str] = []
        for alias in _aliases(reader, item):
            where = item.line_of("aliases")
            if not ALIAS_RE.match(alias.translate(_LOOKALIKES)):
                reader.error(where, f"bí danh “{short(alias)}” không đúng dạng",
                             "bí danh là một cách viết khác (viết sai) của số hiệu, bắt đầu bằng chữ số, không có dấu cách, ví dụ 26/CTTTg")
                continue
            key = code_key(alias.translate(_LOOKALIKES))
            if key in alias_lines:
                reader.error(where, f"bí danh “{short(alias)}” đã được dùng (dòng {alias_lines[key]})",
                             "mỗi cách viết chỉ chỉ tới một văn bản: xóa một trong hai")
                continue
            spelled = detector.parse(alias)
            if spelled is not None and spelled.base_id == ref.base_id:
                reader.error(where, f"bí danh “{short(alias)}” là chính số hiệu “{short(number)}”",
                             "xóa bí danh này: cách viết đó đã được tự nhận ra")
                continue
            if spelled is not None:
                other_numbers.append((alias, where, spelled.base_id, ref.base_id))
            alias_lines[key] = where
            aliases.append(alias)
        data.documents[doc_id] = Document(
            number=ref.number,
            type=doc_type,
            date=date,
            issuer=reader.text(item, "issuer", required=False),
            title=reader.text(item, "title", required=False),
            url=url,
            year=own_year if ref.year is None else None,
            aliases=tuple(aliases),
            **status,
        )
    _check_replacements(reader, data, detector, pending)
    for alias, where, spelled_id, own in other_numbers:
        if spelled_id in numbers and spelled_id != own:
            reader.error(where, f"bí danh “{short(alias)}” là số hiệu của một văn bản khác (dòng {numbers[spelled_id][0]})",
                         "bí danh chỉ dùng cho cách viết sai của số hiệu, không dùng số hiệu của văn bản khác")
            for doc_id, info in data.documents.items():
                if alias in info.aliases:
                    data.documents[doc_id] = replace(info, aliases=tuple(a for a in info.aliases if a != alias))
