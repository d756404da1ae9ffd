"""Legal and administrative documents cited in text: detection, normalisation, staff data.

Articles cite documents by number: "Nghị định số 06/2023/NĐ-CP", "Chỉ thị 23/CT-TTg",
"Kế hoạch số 9000/KH-UBND", "Thông tư 22/2023/TT-BTTTT", "Nghị quyết 18-NQ/TW", or the bare
number "06/2023/NĐ-CP".  `Detector` finds such references, normalises each to one canonical
number ("06/2023/NĐ-CP", whatever the spelling: "ND-CP", "6/2023/NĐ-CP") and an ASCII id
("06-2023-nd-cp") used in URLs.

Numbers are recognised by their shape: number[/year]/CODE-ISSUER (state documents) or
number-CODE/ISSUER (Party documents).  Everything Vietnamese about them (the type words that
may precede a number, what "NĐ" or "TTg" stands for) is data, in content/documents.yml; without
that file numbers are still found and shown with their raw codes.

Pure: no MkDocs, no Markdown library.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostics
from .plan import _load_yaml_file, _Reader, suggest
from .text import fold, nfc, slugify
from .yamlio import LineDict

DATA_FILE = "documents.yml"

# --- the shape of a document number ------------------------------------------------------
# A code segment: "NĐ", "CP", "TTg", "BGDĐT", "CTr", "QH15" (letters, then at most 3 digits).
_SEG = r"[A-ZĐ][A-Za-zĐđ]*[0-9]{0,3}"
_YEAR = r"(?:19|20)[0-9]{2}"
_STATE = (
    r"(?P<num>[0-9]{1,5})"
    rf"(?:/(?P<year>{_YEAR})/(?P<code>{_SEG}(?:-{_SEG})+|[A-ZĐ]{{2,}}[0-9]{{1,3}})"  # 06/2023/NĐ-CP, 80/2015/QH13
    rf"|/(?P<code_ny>{_SEG}(?:-{_SEG})+))"  # 23/CT-TTg, 9000/KH-UBND
)
_PARTY = rf"(?P<pnum>[0-9]{{1,4}})-(?P<ptype>[A-ZĐ][A-Za-zĐđ]{{0,3}})/(?P<pissuer>{_SEG})"  # 18-NQ/TW
# Not inside a longer token before (x06/…, 1.06/…, a/06/…) or after (…NĐ-CPx, …NĐ-CP/…).
_BEFORE = r"(?<![\w/.\-])"
_AFTER = r"(?![\w/&])(?!-\w)"
_CODE_RE = re.compile(r"^[A-Za-zĐđ]+$")
_SEG_SPLIT_RE = re.compile(r"^(.*?)([0-9]*)$")
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")


def code_key(code: str) -> str:
    """Identity of a code: "NĐ", "ND", "nđ" are the same code; so are "TTg" and "TTG"."""
    return fold(code).upper()


@dataclass(frozen=True)
class DocType:
    name: str  # "Nghị định": also the word written before a number
    code: str = ""  # "NĐ": the type code inside a number (none for "Luật")


@dataclass(frozen=True)
class DocumentInfo:
    """What staff (or a plan) say about one document, beyond its number."""

    number: str
    type: str = ""
    date: dt.date | None = None
    issuer: str = ""
    title: str = ""
    url: str = ""  # official text


@dataclass(frozen=True)
class Reference:
    """One citation of a document in a text."""

    id: str  # ASCII, [a-z0-9-]: "06-2023-nd-cp"
    number: str  # canonical: "06/2023/NĐ-CP"
    text: str  # as written, including the type word: "Nghị định số 06/2023/ND-CP"
    start: int  # span of `text` in the NFC text searched
    end: int
    type_word: str = ""  # type named before the number ("Nghị định"), canonical spelling
    code_type: str = ""  # type given by the code of the number ("NĐ" → "Nghị định")
    type_code: str = ""  # "NĐ"
    issuer_codes: tuple[str, ...] = ()  # ("CP",)
    issuer: str = ""  # names of the issuer codes ("Chính phủ"), else the raw codes
    year: int | None = None

    @property
    def type(self) -> str:
        """The document's type: the code is part of the official number, so it wins."""
        return self.code_type or self.type_word


class Detector:
    """Finds document references in text, knowing the type words and codes of the data file."""

    def __init__(self, types: Iterable[DocType] = (), issuers: dict[str, str] | None = None):
        types = tuple(types)
        self._type_by_word = {" ".join(nfc(t.name).split()).casefold(): t.name for t in types}
        self._type_by_code = {code_key(t.code): t for t in types if t.code}
        self._issuer_by_code = {code_key(code): name for code, name in (issuers or {}).items()}
        self._spelling: dict[str, str] = {}  # code key → spelling of the data file
        for code in [t.code for t in types if t.code] + list(issuers or {}):
            self._spelling.setdefault(code_key(code), code)
        words = sorted(self._type_by_word.values(), key=len, reverse=True)  # longest first
        prefix = ""
        if words:
            alternatives = "|".join(r"\s+".join(re.escape(part) for part in nfc(w).split()) for w in words)
            prefix = rf"(?:(?<!\w)(?P<word>(?i:{alternatives}))\s+(?:(?i:số)\s+)?)?"
        self._pattern = re.compile(prefix + _BEFORE + rf"(?:{_STATE}|{_PARTY})" + _AFTER)

    # --- codes -----------------------------------------------------------------------------
    def _segment(self, segment: str) -> tuple[str, str]:
        """(canonical spelling, key of its letters): "ND" → ("NĐ", "ND"), "QH15" → ("QH15", "QH")."""
        letters, digits = _SEG_SPLIT_RE.match(segment).groups()
        key = code_key(letters)
        return self._spelling.get(key, letters) + digits, key

    def _issuer_name(self, keys: list[str], spelled: list[str]) -> str:
        names = [self._issuer_by_code[k] for k in keys if k in self._issuer_by_code]
        return ", ".join(dict.fromkeys(names)) if names else "-".join(spelled)

    def _reference(self, match: re.Match, offset: int = 0) -> Reference:
        groups = match.groupdict()
        word = groups.get("word")
        type_word = self._type_by_word.get(" ".join(nfc(word).split()).casefold(), "") if word else ""
        if groups.get("pnum"):
            type_spelled, type_key = self._segment(groups["ptype"])
            issuer_spelled, issuer_key = self._segment(groups["pissuer"])
            number = f"{int(groups['pnum']):02d}-{type_spelled}/{issuer_spelled}"
            issuers, issuer_keys, year = [issuer_spelled], [issuer_key], None
        else:
            code = groups.get("code") or groups.get("code_ny")
            parts = [self._segment(s) for s in code.split("-")]
            first_key = parts[0][1]
            if len(parts) > 1 and (first_key in self._type_by_code or first_key not in self._issuer_by_code):
                (type_spelled, type_key), rest = parts[0], parts[1:]
            else:  # "80/2015/QH13", "123/SGDĐT-VP": no type code
                type_spelled, type_key, rest = "", "", parts
            issuers, issuer_keys = [p[0] for p in rest], [p[1] for p in rest]
            year = int(groups["year"]) if groups.get("year") else None
            number = f"{int(groups['num']):02d}" + (f"/{year}" if year else "") + "/" + "-".join(p[0] for p in parts)
        doc_type = self._type_by_code.get(type_key)
        return Reference(
            id=slugify(number),
            number=number,
            text=match.group(0),
            start=match.start() + offset,
            end=match.end() + offset,
            type_word=type_word,
            code_type=doc_type.name if doc_type else "",
            type_code=type_spelled,
            issuer_codes=tuple(issuers),
            issuer=self._issuer_name(issuer_keys, issuers),
            year=year,
        )

    # --- finding ---------------------------------------------------------------------------
    def find(self, text: str) -> list[Reference]:
        """Every reference in `text`, in order; spans are in nfc(text)."""
        return [self._reference(m) for m in self._pattern.finditer(nfc(text))]

    def parse(self, number: str) -> Reference | None:
        """The reference a whole string is ("06/2023/NĐ-CP", "Nghị định số 6/2023/ND-CP"), or None."""
        text = nfc(number).strip()
        match = self._pattern.fullmatch(text)
        return self._reference(match) if match else None

    def find_in_markdown(self, markdown: str) -> list[Reference]:
        """References in the prose of a Markdown text: not in code, URLs or HTML attributes."""
        return self.find(markdown_prose(markdown))


# --- Markdown prose ------------------------------------------------------------------------
_FENCE_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HTML_CODE_RE = re.compile(r"<(code|pre|kbd|samp|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_CODE_SPAN_RE = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_LINK_DEST_RE = re.compile(r"\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_BARE_URL_RE = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")


def markdown_prose(markdown: str) -> str:
    """The text of a Markdown document a reader sees as prose: headings, link texts and
    paragraphs stay; fenced code, code spans, HTML code elements, link destinations, URLs,
    HTML tags and comments go (each replaced by a space, so no two words are joined).

    A fast approximation of the Markdown parse, enough to decide which documents an article
    cites; it never invents text, so what it finds is also in the rendered prose.
    """
    kept: list[str] = []
    fence = ""
    for line in nfc(markdown).split("\n"):
        match = _FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line[match.end():].strip():
                fence = ""
            kept.append("")
            continue
        if match and not (match.group(1)[0] == "`" and "`" in line[match.end():]):
            fence = match.group(1)
            kept.append("")
            continue
        kept.append(line)
    text = "\n".join(kept)
    for pattern in (_HTML_COMMENT_RE, _HTML_CODE_RE, _CODE_SPAN_RE):
        text = pattern.sub(" ", text)
    text = _REF_DEF_RE.sub(" ", text)
    text = _LINK_DEST_RE.sub("] ", text)
    text = _TAG_RE.sub(" ", text)
    return _BARE_URL_RE.sub(" ", text)


# --- the data file -------------------------------------------------------------------------
@dataclass
class LegalData:
    """content/documents.yml: type words and codes, issuer codes, metadata per document."""

    types: tuple[DocType, ...] = ()
    issuers: dict[str, str] = field(default_factory=dict)  # code as spelled in the file → name
    documents: dict[str, DocumentInfo] = field(default_factory=dict)  # by document id
    path: Path | None = None

    @cached_property
    def detector(self) -> Detector:
        return Detector(self.types, self.issuers)

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
DOCUMENT_KEYS = ("number", "type", "date", "issuer", "title", "url")


def _unknown_keys(reader: _Reader, mapping: LineDict, known: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in known:
            guess = suggest(str(key), known)
            hint = f"có phải ý bạn là “{guess}”?" if guess else "các mục dùng được: " + ", ".join(known)
            reader.error(mapping.line_of(key), f"mục “{key}” không dùng được trong {where}", hint)


def _code(reader: _Reader, mapping: LineDict, required: bool) -> str:
    code = reader.text(mapping, "code", required=required)
    if code and not _CODE_RE.match(code):
        reader.error(mapping.line_of("code"), f"mã “{code}” không hợp lệ",
                     "mã chỉ gồm chữ cái, không dấu cách, số hay gạch ngang, ví dụ NĐ hoặc BGDĐT")
        return ""
    return code


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


def load_legal_data(path: Path, diags: Diagnostics) -> LegalData:
    """Read and check content/documents.yml; a missing file is no data (not an error)."""
    path = Path(path)
    if not path.exists():
        return LegalData()
    data = LegalData(path=path)
    try:
        raw = _load_yaml_file(path, diags)
    except ValueError:  # PyYAML builds dates itself: "2023-02-30" raises instead of a YAML error
        line = _impossible_date_line(path)
        diags.error(path, line, "có ngày không tồn tại", "kiểm tra ngày và tháng, viết dạng YYYY-MM-DD, ví dụ 2023-02-21")
        return data
    if raw is None:
        return data
    reader = _Reader(path, diags)
    if not isinstance(raw, LineDict):
        reader.error(1, "documents.yml phải gồm các mục types:, issuers: và documents:")
        return data
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
            reader.error(item.line_of("name"), f"loại văn bản “{name}” bị khai báo hai lần (lần đầu ở dòng {seen_names[key]})",
                         "giữ một mục, xóa mục còn lại")
            continue
        seen_names[key] = item.line_of("name")
        if code:
            if code_key(code) in seen_codes:
                reader.error(item.line_of("code"), f"mã loại “{code}” bị dùng hai lần (lần đầu ở dòng {seen_codes[code_key(code)]})",
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
            reader.error(item.line_of("code"), f"mã cơ quan “{code}” bị khai báo hai lần (lần đầu ở dòng {issuer_lines[key]})",
                         "giữ một mục, xóa mục còn lại")
            continue
        if key in seen_codes:
            reader.error(item.line_of("code"), f"mã “{code}” đã là mã loại văn bản (dòng {seen_codes[key]})",
                         "một mã chỉ là mã loại văn bản hoặc mã cơ quan, không là cả hai")
            continue
        issuer_lines[key] = item.line_of("code")
        data.issuers[code] = name

    detector = Detector(data.types, data.issuers)
    type_names = [t.name for t in data.types]
    document_lines: dict[str, int] = {}
    for item in reader.items(raw, "documents", required=False):
        _unknown_keys(reader, item, DOCUMENT_KEYS, "một văn bản (documents)")
        number = reader.text(item, "number")
        if not number:
            continue
        ref = detector.parse(number)
        if ref is None or ref.type_word:
            reader.error(item.line_of("number"), f"số hiệu “{number}” không đúng dạng số hiệu văn bản",
                         "chỉ ghi số hiệu, ví dụ 06/2023/NĐ-CP, 23/CT-TTg hoặc 18-NQ/TW (loại văn bản ghi ở mục type)")
            continue
        if ref.id in document_lines:
            reader.error(item.line_of("number"), f"văn bản “{number}” bị khai báo hai lần (lần đầu ở dòng {document_lines[ref.id]})",
                         "gộp hai mục thành một")
            continue
        document_lines[ref.id] = item.line_of("number")
        doc_type = reader.text(item, "type", required=False)
        if doc_type and type_names:
            canonical = data.canonical_type(doc_type)
            if canonical not in type_names:
                guess = suggest(doc_type, type_names)
                reader.error(item.line_of("type"), f"loại văn bản “{doc_type}” không có trong types",
                             f"có phải ý bạn là “{guess}”?" if guess else "dùng một trong: " + ", ".join(type_names))
            doc_type = canonical
        url = reader.text(item, "url", required=False)
        if url and not _URL_RE.match(url):
            reader.error(item.line_of("url"), f"địa chỉ “{url}” không hợp lệ",
                         "ghi địa chỉ đầy đủ, bắt đầu bằng https://, không có dấu cách")
            url = ""
        data.documents[ref.id] = DocumentInfo(
            number=ref.number,
            type=doc_type,
            date=reader.date(item, "date"),
            issuer=reader.text(item, "issuer", required=False),
            title=reader.text(item, "title", required=False),
            url=url,
        )
    return data
