"""`cchc plan import`: the text of a signed plan (.txt or .docx) → a draft plan file.

Plans are not all laid out alike, so nothing here depends on one layout:

1. Lines → paragraphs.  Text extracted from a PDF breaks lines in the middle of sentences; a line
   continues the paragraph before it unless it starts with a heading or list marker (`II.`, `1.`,
   `2.1.`, `a)`, `-`, `•`), or the line before it ended a sentence or was visibly short.
2. Paragraphs → a tree: Roman headings, numbered headings, lettered points, dashes (each under
   the nearest item of a higher rank), plain paragraphs attached to the item they follow.
3. The parts are recognised by their headings' words (hooks/cchc/data/plan_import.yml: purposes,
   requirements, content, forms, duties), wherever they are: forms may be a subsection of the
   content part ("II.3") or a part of their own ("III") with the unit duties after them.
4. Header and opening: "Số: …", "…, ngày … tháng … năm …", the issuer, the title and year, the plan
   it implements ("Thực hiện Kế hoạch số …"), the documents cited anywhere (with the legal
   detector of cchc.legal), the signer after the closing lines.
5. Topics are matched to the categories of the earlier plans (TF-IDF cosine on syllables and
   syllable pairs, computed from the plans themselves): a topic that matches keeps the category's
   id, name and description (tags and URLs carry over from year to year); a new topic gets a new
   id.  Forms are matched the same way, unit duties to the earlier plans' duties or the group
   names of units.yml.
6. What could not be placed goes into the draft's `review:` list (and on the terminal).

Pure Python, no MkDocs; `import_plan(text, known)` is what the tests call.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from .text import fold, nfc, slugify

DATA = Path(__file__).resolve().parent / "data" / "plan_import.yml"


class ImportProblem(Exception):
    """The source cannot be read as a plan; the message is Vietnamese and says what to do."""


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _has(text: str, words: Iterable[str]) -> bool:
    folded = fold(text)
    return any(fold(w) in folded for w in words)


def _starts(text: str, words: Iterable[str]) -> bool:
    folded = fold(text).lstrip()
    return any(folded.startswith(fold(w)) for w in words)


# --- reading the source -------------------------------------------------------------------------
def read_source(path: Path) -> list[str]:
    """Lines of a .txt (UTF-8) or .docx file (paragraphs and table cells in document order)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_lines(path)
    if suffix in (".doc", ".rtf", ".odt"):
        raise ImportProblem(f"tệp {path.name} là định dạng {suffix}; mở bằng Word rồi “Lưu thành” (Save As) .docx, "
                            "hoặc chép toàn bộ văn bản vào một tệp .txt (UTF-8)")
    if suffix == ".pdf":
        raise ImportProblem(f"tệp {path.name} là PDF; mở PDF, chọn toàn bộ văn bản (Ctrl+A), chép (Ctrl+C) và dán vào "
                            "một tệp .txt lưu bằng mã UTF-8, rồi nhập tệp .txt đó")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"không đọc được tệp {path}: {exc.strerror}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(f"tệp {path.name} không phải mã UTF-8; mở bằng Notepad và “Lưu thành” với mã hóa UTF-8") from None
    from .text import legacy_encoding_words

    sample = [w for line in text.splitlines()[:200] for w in legacy_encoding_words(line)]
    if len(sample) >= 3:
        raise ImportProblem(f"tệp {path.name} dùng bảng mã cũ (TCVN3 hoặc VNI: “{' '.join(sample[:3])}”); chuyển sang "
                            "Unicode bằng Unikey (Công cụ chuyển mã) rồi nhập lại")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _docx_lines(path: Path) -> list[str]:
    import zipfile

    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportProblem(f"tệp {path.name} không mở được như tệp Word .docx ({exc.__class__.__name__}); "
                            "mở bằng Word và lưu lại dạng .docx") from None
    except OSError as exc:
        raise ImportProblem(f"không đọc được tệp {path}: {exc.strerror}") from None
    lines: list[str] = []
    numbering = _Numbering(document)

    def paragraph_text(element) -> str:
        parts = []
        for node in element.iter():
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif node.tag == qn("w:tab"):
                parts.append("\t")
        return "".join(parts)

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                text = paragraph_text(child)
                marker = numbering.marker(child)
                if marker and text.strip():
                    text = f"{marker} {text.lstrip()}"
                lines.extend(text.split("\n"))
                lines.append("")
            elif child.tag == qn("w:tbl"):
                for row in child.iter(qn("w:tr")):
                    for cell in row.iterchildren(qn("w:tc")):
                        walk(cell)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return lines


class _Numbering:
    """The visible marker of a Word list paragraph ("1.", "a)", "-"): Word keeps automatic numbers
    out of the paragraph's text, in numbering.xml (numId → abstractNum → level format)."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in node.iterchildren(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
        for style in document.styles:
            element = getattr(style, "element", None)
            num_pr = element.find(qn("w:pPr") + "/" + qn("w:numPr")) if element is not None else None
            if num_pr is not None:
                self.style_num[style.style_id] = self._num(num_pr)

    def _num(self, num_pr) -> tuple[str, int]:
        qn = self.qn
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        return (num_id.get(qn("w:val")) if num_id is not None else "",
                int(ilvl.get(qn("w:val"))) if ilvl is not None else 0)

    def marker(self, paragraph) -> str:
        qn = self.qn
        p_pr = paragraph.find(qn("w:pPr"))
        if p_pr is None:
            return ""
        num_pr = p_pr.find(qn("w:numPr"))
        if num_pr is not None:
            num_id, level = self._num(num_pr)
        else:
            style = p_pr.find(qn("w:pStyle"))
            num_id, level = self.style_num.get(style.get(qn("w:val")) if style is not None else "", ("", 0))
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        if fmt == "bullet":
            return "-"

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(index, ("decimal", "", 1))
            return _format_number(counters[index] + lvl_start - 1, lvl_fmt)

        return re.sub(r"%(\d)", value, text)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        text = letters[(n - 1) % 26]
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        text, rest = "", n
        for size, numeral in numerals:
            while rest >= size:
                text, rest = text + numeral, rest - size
        return text.lower() if fmt == "lowerRoman" else text
    return str(n)


# --- lines → paragraphs ---------------------------------------------------------------------------
ROMAN_RE = re.compile(r"^(?P<m>[IVX]{1,5})[.)]\s*(?P<t>\S.*)$")
NUMBER_RE = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2}){0,2})(?:[.)]\s*|\s+(?=\D))(?P<t>\S.*)$")
LETTER_RE = re.compile(r"^(?P<m>[a-zđ])[)]\s*(?P<t>\S.*)$|^(?P<m2>[a-zđ])\.\s+(?P<t2>\S.*)$")
DASH_RE = re.compile(r"^[-–—•●∙▪◦+*]\s*(?P<t>\S.*)$")
END_RE = re.compile(r"(?:[.:;!?…]|\./\.)[\"”»)]?$")
SPACE_RE = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000]+")
COLUMNS_RE = re.compile(r"[ \u00a0]{3,}")  # two columns side by side (header, signature block)
HEADER_COLUMNS_RE = re.compile(r"\t|[ \u00a0]{3,}")


@dataclass
class Para:
    kind: str  # "roman", "number", "letter", "dash", "text"
    marker: str  # "II", "2.1", "a", "-", ""
    text: str
    line: int  # source line where it starts (for the review list)


def _marker(line: str) -> tuple[str, str, str] | None:
    for kind, pattern in (("roman", ROMAN_RE), ("number", NUMBER_RE), ("letter", LETTER_RE), ("dash", DASH_RE)):
        match = pattern.match(line)
        if match:
            groups = match.groupdict()
            if kind == "letter":
                return kind, groups["m"] or groups["m2"], groups["t"] or groups["t2"]
            return kind, groups.get("m") or "-", groups["t"]
    return None


def paragraphs(lines: list[str]) -> list[Para]:
    """Logical paragraphs, PDF line breaks undone (see the module docstring)."""
    cleaned: list[tuple[int, str]] = []
    in_header = True
    for number, raw in enumerate(lines, 1):
        text = nfc(raw).replace("\u00ad", "")
        if in_header and ROMAN_RE.match(SPACE_RE.sub(" ", text).strip()):
            in_header = False
        # two columns ("SỞ GIÁO DỤC …      CỘNG HÒA …", "Nơi nhận:      KT. GIÁM ĐỐC") are two lines
        pieces = (HEADER_COLUMNS_RE if in_header else COLUMNS_RE).split(text.rstrip())
        for piece in pieces:
            piece = SPACE_RE.sub(" ", piece).strip()
            cleaned.append((number, piece))
    lengths = sorted(len(t) for _, t in cleaned if len(t) > 20)
    width = lengths[int(len(lengths) * 0.8)] if lengths else 80
    full = max(30, int(width * 0.72))
    paras: list[Para] = []
    last_line = ""  # the previous non-empty line, as written
    for number, text in cleaned:
        if not text:
            continue
        found = _marker(text)
        previous = paras[-1] if paras else None
        ended = bool(END_RE.search(last_line))
        first_word = text.split()[0]
        if previous is None:
            continues = False
        elif text[0].islower():
            continues = True  # a sentence goes on ("…của Ủy" / "ban nhân dân tỉnh …")
        elif previous.kind in ("roman", "number") and previous.text == last_line.split(" ", 1)[-1] or ended:
            # after a heading's first line only an abbreviation ("… trong công tác" / "CCHC") goes on;
            # "Triển khai, …" after "3. Các đơn vị …" is the heading's first paragraph
            continues = not ended and _is_caps(first_word.strip(",.;:")) and len(first_word) > 1
        else:
            continues = len(last_line) >= full
        if found and not (found[0] == "dash" and continues and found[2][:1].islower()) \
                and not (found[0] in ("number", "letter") and continues and _looks_like_date(text)):
            kind, marker, body = found
            paras.append(Para(kind, marker, body, number))
        elif continues:
            previous.text += " " + text
        else:
            paras.append(Para("text", "", text, number))
        last_line = text
    return paras


def _looks_like_date(text: str) -> bool:
    return bool(re.match(r"^\d{1,2}[./-]\d{1,2}[./-]\d{4}", text))


# --- paragraphs → tree ----------------------------------------------------------------------------
RANK = {"roman": 0, "number": 1, "letter": 2, "dash": 3}


@dataclass
class Node:
    kind: str
    marker: str
    text: str
    line: int
    children: list["Node"] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)  # plain paragraphs right under the heading

    def numbered(self) -> list["Node"]:
        return [c for c in self.children if c.kind == "number"]


def build_tree(paras: list[Para]) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []
    for para in paras:
        if para.kind == "text":
            if stack:
                # a paragraph after a dash item belongs to the dash's parent heading when the dash
                # list looks finished (it started with a capital): keep it with the last item
                stack[-1].paras.append(para)
            continue
        node = Node(para.kind, para.marker, para.text, para.line)
        rank = RANK[para.kind]
        while stack and RANK[stack[-1].kind] >= rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


# --- similarity -----------------------------------------------------------------------------------
WORD_RE = re.compile(r"[a-z0-9]+")


def features(text: str) -> Counter:
    words = WORD_RE.findall(fold(text))
    grams = Counter(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return grams


class Similarity:
    """Cosine of TF-IDF vectors; the IDF comes from the texts being compared (no word lists)."""

    def __init__(self, texts: Iterable[str]):
        self.vectors: dict[str, Counter] = {}
        docs = [features(t) for t in texts]
        count = len(docs) or 1
        df: Counter = Counter()
        for doc in docs:
            df.update(doc.keys())
        self.idf = {term: math.log((1 + count) / (1 + n)) + 1 for term, n in df.items()}

    def vector(self, text: str) -> dict[str, float]:
        grams = features(text)
        vec = {t: (1 + math.log(n)) * self.idf.get(t, 1.0) for t, n in grams.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())


MATCH_THRESHOLD = 0.28  # below: a new topic (measured on the shipped plans: matches ≥ 0.4, others ≤ 0.2)


def match(new: list[str], old: list[tuple[str, str]], threshold: float = MATCH_THRESHOLD) -> dict[int, str]:
    """Index of each new text → the id of the old text it matches best (each old id used once)."""
    sim = Similarity([*new, *(t for _, t in old)])
    new_vecs = [sim.vector(t) for t in new]
    old_vecs = [(key, sim.vector(t)) for key, t in old]
    pairs = sorted(((sim.cosine(nv, ov), i, key) for i, nv in enumerate(new_vecs) for key, ov in old_vecs),
                   key=lambda p: (-p[0], p[1], p[2]))
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for score, i, key in pairs:
        if score < threshold:
            break
        if i in chosen or key in used:
            continue
        chosen[i] = key
        used.add(key)
    return chosen


# --- what the importer knows already --------------------------------------------------------------
@dataclass
class Known:
    """Earlier plans (newest first), unit groups and the legal data: what a draft is matched to."""

    plans: list = field(default_factory=list)  # cchc.plan.Plan, newest first
    groups: dict[str, str] = field(default_factory=dict)  # group id → name (units.yml)
    department_names: list[str] = field(default_factory=list)
    legal: object | None = None  # cchc.legal.LegalData

    @classmethod
    def from_content(cls, content_root: Path, diags) -> "Known":
        from .content import load_catalog
        from .legal import DATA_FILE, load_legal_data

        catalog = load_catalog(content_root, diags)
        legal = load_legal_data(content_root / DATA_FILE, diags)
        names = [d.name for d in catalog.units.department]
        return cls([catalog.plans[y] for y in sorted(catalog.plans, reverse=True)],
                   {g.id: g.name for g in catalog.units.groups.values()}, names, legal)

    def categories(self) -> dict[str, object]:
        found: dict[str, object] = {}
        for plan in self.plans:  # newest first: the newest wording of an id wins
            for category in plan.categories.values():
                found.setdefault(category.id, category)
        return found

    def forms(self) -> dict[str, object]:
        found: dict[str, object] = {}
        for plan in self.plans:
            for form in plan.forms.values():
                found.setdefault(form.id, form)
        return found

    def documents(self) -> dict[str, object]:
        found: dict[str, object] = {}
        for plan in self.plans:
            for number, doc in plan.documents.items():
                found.setdefault(number, doc)
        if self.legal is not None:
            for info in getattr(self.legal, "documents", {}).values():
                found.setdefault(info.number, info)
        return found

    def issuers(self) -> list[str]:
        names = [p.issuer for p in self.plans if p.issuer] + self.department_names
        return list(dict.fromkeys(names))


def _category_text(category) -> str:
    parts = [category.plan_text, category.name, category.description]
    for point in category.points:
        parts += [point.text, *point.items]
    return " ".join(p for p in parts if p)


def _form_text(form) -> str:
    return " ".join(p for p in (form.plan_text, form.name, form.description) if p)


# --- the draft ------------------------------------------------------------------------------------
@dataclass
class Draft:
    plan: dict  # the plan file's content, keys in file order (cchc.plan_yaml.dump_plan)
    review: list[str]

    @property
    def year(self) -> int | None:
        return self.plan.get("year")


DATE_WORDS_RE = re.compile(r"ngày\s+(?P<d>\d{1,2})?[\s.…_]*tháng\s+(?P<m>\d{1,2})?[\s.…_]*năm\s+(?P<y>\d{4})", re.I)
NUMBER_LINE_RE = re.compile(r"^số\s*:\s*(?P<n>.*)$", re.I)
SHORT_DATE_RE = re.compile(r"^\s*,?\s*(?:ban hành\s+)?\(?ngày\s+(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
                           r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))\)?", re.I)
YEAR_RE = re.compile(r"năm\s+(?P<y>(?:19|20)\d{2})\b", re.I)
SENTENCE_RE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])")


def _date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def _sentence_case(caps: str) -> str:
    """"GIÁM ĐỐC" → "Giám đốc"; "PHÓ GIÁM ĐỐC" → "Phó Giám đốc" (the title after Phó keeps its capital)."""
    words = caps.lower().split()
    if not words:
        return ""
    words[0] = words[0][:1].upper() + words[0][1:]
    if fold(words[0]) == "pho" and len(words) > 1:
        words[1] = words[1][:1].upper() + words[1][1:]
    return " ".join(words)


def _clean_item(text: str) -> str:
    """A list item as a sentence: trailing ";" or "," becomes ".", whitespace normalised."""
    text = " ".join(text.split())
    text = re.sub(r"[;,]\s*$", ".", text)
    if text and not END_RE.search(text):
        text += "."
    return text


def _heading(text: str) -> str:
    return " ".join(text.split()).rstrip(" .:;")


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class _Importer:
    def __init__(self, lines: list[str], known: Known, year: int | None = None):
        self.known = known
        self.review: list[str] = []
        self.paras = paragraphs(lines)
        self.year_hint = year
        from .legal import Detector

        self.detector = known.legal.detector if known.legal is not None else Detector()

    def note(self, text: str) -> None:
        if text not in self.review:
            self.review.append(text)

    # -- structure --
    def split(self) -> tuple[list[Para], list[Para], list[Para]]:
        """(header and opening paragraphs, body, closing) around the Roman-numbered body."""
        vocab = vocabulary()
        start = next((i for i, p in enumerate(self.paras) if p.kind == "roman"), None)
        if start is None:
            raise ImportProblem("không tìm thấy các phần đánh số La Mã (I., II., III.) của kế hoạch; kiểm tra tệp có phải "
                                "toàn văn Kế hoạch (mỗi phần bắt đầu bằng “I.”, “II.” ở đầu dòng)")
        end = next((i for i in range(start, len(self.paras))
                    if self.paras[i].kind in ("text", "dash", "roman") and _starts(self.paras[i].text, vocab["closing"])),
                   len(self.paras))
        return self.paras[:start], self.paras[start:end], self.paras[end:]

    def run(self) -> Draft:
        head, body, tail = self.split()
        plan: dict = {}
        header = self.header(head, tail)
        tree = build_tree(body)
        parts = self.parts(tree)
        plan["year"] = header["year"]
        plan["number"] = header["number"]
        plan["date"] = header["date"]
        plan["title"] = header["title"]
        plan["issuer"] = header["issuer"]
        if header["signer"]:
            plan["signer"] = header["signer"]
        plan["implements"] = header["implements"]
        plan["purposes"] = parts["purposes"]
        plan["requirements"] = parts["requirements"]
        plan["documents"] = self.documents(head, body, header["implements"], header["number"])
        plan["categories"] = self.categories(parts["topics"], plan["documents"])
        plan["forms"], plan["default_form"] = self.forms(parts["forms"], parts["forms_section"])
        plan["units"] = self.duties(parts["duties"])
        if not plan["number"] or not plan["date"]:
            missing = " và ".join(w for w, v in (("số", plan["number"]), ("ngày ban hành", plan["date"])) if not v)
            self.note(f"Văn bản nhập chưa có {missing} của Kế hoạch: điền {'number' if not plan['number'] else ''}"
                      f"{' và ' if not plan['number'] and not plan['date'] else ''}{'date' if not plan['date'] else ''} "
                      "khi có bản đã ký (để null đến lúc đó).")
        if not plan["number"]:
            plan["number_comment"] = ["Số của Kế hoạch: văn bản nhập không ghi số. Chép đúng số trên bản đã ký, ví dụ number: \"45/KH-SGDĐT\"."]
        if not plan["date"]:
            plan["date_comment"] = ["Ngày ban hành: văn bản nhập không ghi ngày. Chép đúng ngày trên bản đã ký, ví dụ date: 2025-01-15."]
        plan["review"] = list(self.review)
        return Draft(plan, list(self.review))

    # -- header, opening, closing --
    def header(self, head: list[Para], tail: list[Para]) -> dict:
        vocab = vocabulary()
        number = date = None
        title = ""
        issuer = ""
        caps: list[str] = []
        implements = None
        place_line = ""
        texts = [p.text for p in head]
        for i, text in enumerate(texts):
            number_match = NUMBER_LINE_RE.match(text)
            if number_match and fold(text).startswith(fold(vocab["number_label"])):
                value = number_match.group("n")
                date_in = DATE_WORDS_RE.search(value)
                if date_in:  # "Số: 45/KH-SGDĐT Bến Tre, ngày …" on one line
                    place_line, value = value, value[: date_in.start()]
                token = (value.split() or [""])[0].strip(" .;,")
                if re.match(r"^\d+", token):  # "Số:    /KH-SGDĐT" (unsigned): no number
                    number = token
                continue
            found = DATE_WORDS_RE.search(text)
            if found and "," in text[: found.start()] and date is None and not fold(text).startswith(("thuc hien", "can cu")):
                place_line = text
                continue
            if fold(text) == fold(vocab["title_word"]) and i + 1 < len(texts):
                subject = texts[i + 1]
                title = f"{_sentence_case(vocab['title_word'])} {subject[:1].lower()}{subject[1:]}".strip()
                continue
            if _is_caps(text) and not _has(text, vocab["motto"]):
                caps.append(text)
        if place_line:
            found = DATE_WORDS_RE.search(place_line)
            date = _date(found.group("d"), found.group("m"), found.group("y"))
        if not title:
            subject = next((t for t in texts if _starts(t, [vocab["title_word"]]) and len(t) > 12), "")
            title = subject
        year = self.year_hint
        found_year = YEAR_RE.search(title) if title else None
        if year is None and found_year:
            year = int(found_year.group("y"))
        if year is None and date is not None:
            year = date.year
        if year is None:
            raise ImportProblem("không xác định được năm của Kế hoạch (tiêu đề không có “năm …”, văn bản không ghi ngày); "
                                "ghi năm bằng --year, ví dụ cchc plan import ke-hoach.txt --year 2026")
        if not title:
            title = f"Kế hoạch thông tin, tuyên truyền cải cách hành chính năm {year}"
            self.note(f"Không tìm thấy tiêu đề (dòng “KẾ HOẠCH” và dòng trích yếu): đã ghi “{title}”, kiểm tra lại.")
        issuer = self.issuer(caps, texts, tail)
        for para in head:
            if _starts(para.text, vocab["implements"]) and implements is None:
                implements = self.implements(para.text)
        if implements is None:
            for para in head:
                if _starts(para.text, vocab["basis"]):
                    refs = [r for r in self.detector.find(para.text) if r.type == "Kế hoạch"]
                    if refs:
                        implements = self.implements(para.text, refs[-1])
        if implements is None:
            self.note("Không tìm thấy văn bản cấp trên mà Kế hoạch thực hiện (đoạn “Thực hiện Kế hoạch số …”): "
                      "thêm mục implements nếu có.")
        return {"year": year, "number": number, "date": date, "title": title, "issuer": issuer,
                "signer": self.signer(tail), "implements": implements}

    def issuer(self, caps: list[str], texts: list[str], tail: list[Para]) -> str:
        known = {fold(name): name for name in self.known.issuers()}
        for line in reversed(caps):
            if fold(line) in known:
                return known[fold(line)]
        # "… Sở Giáo dục và Đào tạo xây dựng Kế hoạch …" / "Trên đây là Kế hoạch … của Sở …./."
        vocab = vocabulary()
        bodies = "|".join(re.escape(w) for w in vocab["issuer_starts"])
        verbs = "|".join(re.escape(w) for w in vocab["issuing_verbs"])
        title = re.escape(_sentence_case(vocab["title_word"]))
        closing = re.compile(rf"{title}\b.*?\bcủa\s+(?P<x>(?:{bodies})\b[^.;/]*?)\s*(?:\./\.|\.$|$)")
        opening = re.compile(rf"^(?P<x>(?:{bodies})\b.{{3,80}}?)\s+(?:{verbs})\s+{title}")
        for text in [t.text for t in tail] + texts:
            match = closing.search(text)
            if match and _starts(text, vocab["closing"]):
                return match.group("x").strip()
            match = opening.match(text)
            if match:
                return match.group("x").strip()
        if caps:
            guess = _sentence_case(caps[-1])
            self.note(f"Cơ quan ban hành lấy từ dòng “{caps[-1]}”: kiểm tra chữ hoa của tên (issuer: “{guess}”).")
            return guess
        self.note("Không tìm thấy cơ quan ban hành: điền issuer.")
        return ""

    def implements(self, text: str, ref=None) -> dict | None:
        if ref is None:
            refs = self.detector.find(text)
            if not refs:
                return None
            ref = refs[0]
        info = self.document_info(text, ref)
        return {"ref": f"{ref.type or 'Văn bản'} số {ref.number}", "number": ref.number, "date": info["date"],
                "issuer": info["issuer"], "title": info["title"]}

    def signer(self, tail: list[Para]) -> dict:
        vocab = vocabulary()
        lines = [p.text for p in tail]
        caps = [i for i, t in enumerate(lines) if _is_caps(t) and len(t) <= 60]
        if not caps:
            return {}
        last_caps = caps[-1]
        position_line = lines[last_caps]
        for word in vocab["signing_for"]:
            if fold(position_line).startswith(fold(word)):
                position_line = position_line[len(word):].strip()
        names = [p.text for p in tail if p.kind == "text" and not _is_caps(p.text) and len(p.text.split()) <= 6
                 and p.text[:1].isupper() and not re.search(r"[:;/]", p.text)]
        name = names[-1] if names else ""
        if not name:
            self.note("Không tìm thấy tên người ký: điền signer.name.")
            return {"position": _sentence_case(position_line)}
        return {"name": name.strip(" ."), "position": _sentence_case(position_line)}

    # -- the parts --
    def parts(self, tree: list[Node]) -> dict:
        vocab = vocabulary()["sections"]
        result = {"purposes": [], "requirements": [], "topics": [], "forms": [], "forms_section": "", "duties": []}
        for root in tree:
            heading = root.text
            section = root.marker
            if _has(heading, vocab["purposes"]) or _has(heading, vocab["requirements"]):
                self.aims(root, result)
            elif _has(heading, vocab["content"]):
                for child in root.children:
                    if child.kind == "number" and _has(child.text[:60], vocab["forms"]) and len(child.text) < 80:
                        result["forms"] = self.list_items(child)
                        result["forms_section"] = f"{section}.{child.marker}"
                    else:
                        result["topics"].append((section, child))
                for para in root.paras:
                    self.note(f"Đoạn văn dưới mục {section} chưa xếp vào đâu (dòng {para.line}): “{_excerpt(para.text)}”.")
            elif _has(heading, vocab["forms"]):
                result["forms"] = self.list_items(root)
                result["forms_section"] = section
            elif _has(heading, vocab["duties"]):
                result["duties"] = [(section, child) for child in root.children]
                for para in root.paras:
                    self.note(f"Đoạn văn dưới mục {section} chưa xếp vào đâu (dòng {para.line}): “{_excerpt(para.text)}”.")
            else:
                self.note(f"Phần {section}. “{_heading(heading)}” (dòng {root.line}) không thuộc phần nào của tệp kế hoạch: "
                          "chưa được đưa vào.")
        if not result["topics"]:
            raise ImportProblem("không tìm thấy phần nội dung tuyên truyền (phần đánh số La Mã có tiêu đề “NỘI DUNG …” với các "
                                "mục 1., 2. hoặc gạch đầu dòng); kiểm tra tệp có phải toàn văn Kế hoạch thông tin, tuyên truyền CCHC")
        if not result["forms"]:
            self.note("Không tìm thấy phần hình thức tuyên truyền (tiêu đề có “Hình thức”).")
        if not result["duties"]:
            self.note("Không tìm thấy phần tổ chức thực hiện (nhiệm vụ của các đơn vị).")
        return result

    def aims(self, root: Node, result: dict) -> None:
        vocab = vocabulary()["sections"]
        numbered = root.numbered()
        if numbered:
            for child in numbered:
                key = "purposes" if _has(child.text, vocab["purposes"]) else "requirements" if _has(child.text, vocab["requirements"]) else None
                if key is None:
                    self.note(f"Mục {root.marker}.{child.marker} “{_heading(child.text)}” chưa xếp vào mục đích hay yêu cầu.")
                    continue
                result[key] += [_clean_item(t) for t in self.item_texts(child)]
        else:
            key = "purposes" if _has(root.text, vocab["purposes"]) else "requirements"
            result[key] += [_clean_item(t) for t in self.item_texts(root)]

    def item_texts(self, node: Node) -> list[str]:
        """The texts of a node's list items (its children), else its paragraphs."""
        texts = []
        for child in node.children:
            text = child.text
            for para in child.paras:
                text += " " + para.text
            texts.append(text)
        if not texts:
            texts = [p.text for p in node.paras]
        return texts

    def list_items(self, node: Node) -> list[tuple[str, int]]:
        items = []
        for child in node.children:
            text = " ".join([child.text, *(p.text for p in child.paras)])
            for grandchild in child.children:
                text += " " + grandchild.text
            items.append((text, child.line))
        if not items:
            items = [(p.text, p.line) for p in node.paras]
        return items

    # -- topics → categories --
    def topics(self, topics: list[tuple[str, Node]]) -> list[dict]:
        """Each topic: {section, plan_text, points, line}.  A numbered item with dashes under it
        (and no lettered points) is a list of topics; otherwise it is one topic."""
        found = []
        for section, node in topics:
            base = f"{section}.{node.marker}" if node.kind == "number" else section
            letters = [c for c in node.children if c.kind == "letter"]
            dashes = [c for c in node.children if c.kind == "dash"]
            if node.kind == "number" and dashes and not letters:
                for k, dash in enumerate(dashes, 1):
                    text = " ".join([dash.text, *(p.text for p in dash.paras)])
                    found.append({"section": f"{base}.{k}", "plan_text": _clean_item(text), "points": [], "line": dash.line})
                continue
            if node.kind != "number":  # a dash or letter right under the content heading
                index = sum(1 for f in found if f["section"].count(".") == section.count(".") + 1) + 1
                base = f"{section}.{index}"
            points = []
            for letter in letters:
                point = {"label": letter.marker,
                         "text": " ".join(" ".join([letter.text, *(p.text for p in letter.paras)]).split())}
                items = [_clean_item(" ".join([d.text, *(p.text for p in d.paras)])) for d in letter.children]
                if items:
                    point["items"] = items
                points.append(point)
            text = node.text
            extra = [p.text for p in node.paras]
            if not letters:
                text = " ".join([text, *extra, *(c.text for c in node.children)])
            found.append({"section": base, "plan_text": _clean_item(text), "points": points, "line": node.line})
        return found

    def categories(self, topics: list[tuple[str, Node]], documents: list[dict]) -> list[dict]:
        found = self.topics(topics)
        known = self.known.categories()
        old = [(cid, _category_text(c)) for cid, c in known.items()]
        texts = [" ".join([t["plan_text"], *(p["text"] for p in t["points"]),
                           *(i for p in t["points"] for i in p.get("items", []))]) for t in found]
        matched = match(texts, old) if old else {}
        used_ids = set(known)
        numbers = [d["number"] for d in documents]
        categories = []
        for i, topic in enumerate(found):
            text = texts[i]
            cited = [n for n in self.cited(text) if n in numbers]
            entry: dict = {}
            if i in matched:
                category = known[matched[i]]
                entry = {"id": category.id, "section": topic["section"], "name": category.name,
                         "description": category.description or _short_name(topic["plan_text"], 200)}
            else:
                name = _short_name(topic["plan_text"])
                new_id = _new_id(name, used_ids)
                used_ids.add(new_id)
                entry = {"id": new_id, "section": topic["section"], "name": name, "description": ""}
                if self.known.plans:
                    self.note(f"Chuyên mục mới mục {topic['section']} (dòng {topic['line']}), không giống chuyên mục nào của "
                              f"kế hoạch trước: đã đặt id “{new_id}”, tên “{name}”; sửa tên ngắn và id (chữ thường không dấu) "
                              "trước khi có bài viết, viết description.")
                else:
                    self.note(f"Chuyên mục mục {topic['section']}: đã đặt id “{new_id}”, tên “{name}”; sửa tên ngắn, id và "
                              "viết description trước khi có bài viết.")
            entry["plan_text"] = topic["plan_text"] if not topic["points"] else _clean_item(_heading(topic["plan_text"]))
            if topic["points"]:
                entry["points"] = topic["points"]
            if not entry["description"]:
                entry.pop("description")
            entry["documents"] = cited
            categories.append(entry)
        return categories

    # -- forms --
    def forms(self, items: list[tuple[str, int]], section: str) -> tuple[list[dict], str]:
        known = self.known.forms()
        texts = [_clean_item(t) for t, _ in items]
        matched = match(texts, [(fid, _form_text(f)) for fid, f in known.items()]) if known else {}
        used = set(known)
        forms = []
        for i, text in enumerate(texts):
            if i in matched:
                form = known[matched[i]]
                entry = {"id": form.id, "section": section, "name": form.name,
                         "description": form.description or text}
                if form.events:
                    entry["events"] = True
            else:
                name = _short_name(text)
                new_id = _new_id(name, used)
                used.add(new_id)
                entry = {"id": new_id, "section": section, "name": name, "description": text}
                self.note(f"Hình thức mới “{name}” (dòng {items[i][1]}): đã đặt id “{new_id}”; sửa tên, id; thêm events: true "
                          "nếu là hội nghị, tập huấn, đối thoại (bài viết sẽ ghi số người tham dự).")
            entry["plan_text"] = text
            forms.append(entry)
        default = ""
        for plan in self.known.plans:
            if plan.default_form and any(f["id"] == plan.default_form for f in forms):
                default = plan.default_form
                break
        if not default and forms:
            default = forms[0]["id"]
        return forms, default

    # -- unit duties --
    def duties(self, nodes: list[tuple[str, Node]]) -> list[dict]:
        earlier = {}
        for plan in reversed(self.known.plans):  # newest wins
            for duty in plan.units:
                earlier[fold(_heading(duty.name))] = duty.groups
        result = []
        for section, node in nodes:
            name = _heading(node.text)
            entry = {"section": f"{section}.{node.marker}" if node.kind == "number" else section, "name": name}
            groups = earlier.get(fold(name))
            if groups is None:
                groups = self.groups_for(name)
                if not groups:
                    self.note(f"Nhiệm vụ mục {entry['section']} “{name}”: chưa xác định được nhóm đơn vị; ghi groups: "
                              "(mã nhóm trong content/units.yml).")
                elif self.known.plans:
                    self.note(f"Nhiệm vụ mục {entry['section']} “{name}”: nhóm đơn vị đoán theo tên nhóm ({', '.join(groups)}), kiểm tra lại.")
            entry["groups"] = list(groups)
            duties = []
            for child in node.children:
                text = " ".join(" ".join([child.text, *(p.text for p in child.paras), *(c.text for c in child.children)]).split())
                item = {"label": child.marker, "text": text} if child.kind in ("letter", "number") else {"text": text}
                duties.append(item)
            for para in node.paras:
                duties += [{"text": s} for s in SENTENCE_RE.split(" ".join(para.text.split())) if s]
            entry["duties"] = duties
            result.append(entry)
        return result

    def groups_for(self, name: str) -> list[str]:
        words = set(WORD_RE.findall(fold(name)))
        chosen = []
        for group_id, group_name in self.known.groups.items():
            group_words = set(WORD_RE.findall(fold(group_name)))
            if not group_words:
                continue
            inside = len(group_words & words) / len(group_words)  # the group's name is in the duty's
            covering = len(group_words & words) / len(words) if words else 0  # the duty's is in the group's
            if inside >= 0.85 or (covering >= 0.85 and inside >= 0.5):
                chosen.append(group_id)
        return chosen

    # -- documents --
    def cited(self, text: str) -> list[str]:
        return list(dict.fromkeys(r.number for r in self.detector.find(text)))

    def document_info(self, text: str, ref) -> dict:
        after = text[ref.end:]
        date = None
        found = SHORT_DATE_RE.match(after)
        if found:
            date = _date(found.group("d") or found.group("d2"), found.group("m") or found.group("m2"),
                         found.group("y") or found.group("y2"))
            after = after[found.end():]
        written = ""
        by = re.match(r"^\s*,?\s*của\s+(?P<x>.+?)(?=\s+(?:về|quy định|ban hành|hướng dẫn)\b|[,;.]|\s+và\s|$)", after)
        if by:
            written = by.group("x").strip()
            after = after[by.end():]
        resolved = ref.issuer and ref.issuer != "-".join(ref.issuer_codes)  # documents.yml names the code
        issuer = ref.issuer if resolved else written or ref.issuer
        title = ""
        about = re.match(r"^\s*,?\s*(?P<t>(?:về việc|về|quy định về|quy định|ban hành|hướng dẫn)\s+.+?)"
                         r"(?=\s*[;]|\.(?:\s|$)|,\s*(?:trong đó|nhằm|theo|đồng thời)\b|$)", after)
        if about:
            title = about.group("t").strip()
            title = title[:1].upper() + title[1:]
        return {"type": ref.type, "date": date, "issuer": issuer, "title": title}

    def documents(self, head: list[Para], body: list[Para], implements: dict | None, own: str | None) -> list[dict]:
        known = self.known.documents()
        found: dict[str, dict] = {}
        order: list[str] = []
        for para in [*head, *body]:
            for ref in self.detector.find(para.text):
                if ref.number == own:  # "Số: 38/KH-SGDĐT": the plan itself
                    continue
                info = self.document_info(para.text, ref)
                entry = found.get(ref.number)
                if entry is None:
                    entry = found[ref.number] = {"number": ref.number, "type": info["type"], "date": info["date"],
                                                 "issuer": info["issuer"], "title": info["title"]}
                    order.append(ref.number)
                else:
                    for key in ("type", "date", "issuer", "title"):
                        if not entry[key] and info[key]:
                            entry[key] = info[key]
            for odd in re.findall(r"(?<![\w/])\d{1,5}/[A-ZĐ][A-Za-zĐđ]{3,}(?![\w/-])", para.text):
                if not self.detector.find(odd):
                    self.note(f"Số hiệu “{odd}” (dòng {para.line}) có thể in sai (thiếu dấu gạch ngang?): kiểm tra và thêm vào "
                              "documents nếu là một văn bản; ghi cách viết sai vào aliases trong content/documents.yml.")
        implemented = implements["number"] if implements else None
        if implemented in order and implemented is not None:
            order.remove(implemented)  # the plan being implemented comes last, as in the shipped plans
            order.append(implemented)
        documents = []
        for number in order:
            entry = found[number]
            prior = known.get(number)
            if prior is not None:
                for key in ("type", "issuer", "title"):
                    value = getattr(prior, key, "")
                    if value:
                        entry[key] = value
                prior_date = getattr(prior, "date", None)
                if prior_date and entry["date"] and prior_date != entry["date"]:
                    self.note(f"Văn bản {number}: ngày trong kế hoạch ({entry['date']:%d/%m/%Y}) khác ngày đã biết "
                              f"({prior_date:%d/%m/%Y}); kiểm tra lại.")
                entry["date"] = entry["date"] or prior_date
            if not entry["date"]:
                self.note(f"Văn bản {number}: không có ngày ban hành trong kế hoạch; điền date.")
            if not entry["title"]:
                self.note(f"Văn bản {number}: chưa có trích yếu; điền title.")
            documents.append({k: entry[k] for k in ("number", "type", "date", "issuer", "title") if entry[k] or k == "number"})
        return documents


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _short_name(text: str, limit: int = 70) -> str:
    """A name for a new topic or form: a short lead phrase ("Chính quyền số: …"), else the first
    clause, cut at a word boundary."""
    text = " ".join(text.split()).rstrip(".")
    lead = re.match(r"^([^:;,.()]{3,70}):\s", text)
    if lead and len(lead.group(1).split()) <= 10:
        return lead.group(1).strip()
    clause = re.split(r"\s*[;:(]\s*|,\s+(?=(?:nhất là|trong đó|như|gồm)\b)", text)[0]
    if len(clause) <= limit:
        return clause
    return clause[:limit].rsplit(" ", 1)[0].rstrip(",") + "…"


def _new_id(name: str, used: set[str]) -> str:
    base = slugify(" ".join(name.rstrip("…").split()[:6]), max_length=50) or "chuyen-muc"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def import_plan(lines: list[str], known: Known, year: int | None = None) -> Draft:
    """The draft plan of the text `lines`, matched against what is `known`."""
    return _Importer(lines, known, year).run()
