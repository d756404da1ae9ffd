"""Cited documents: detection and normalisation of document numbers, content/documents.yml,
the Markdown extension, and the built `van-ban/` pages and links from articles."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from support import FIXTURES, SAMPLE_CONTENT, build_site

from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.diagnostics import ContentError, Diagnostics
from cchc.generators.legal import build_index, known_documents
from cchc.legal import Detector, load_legal_data, markdown_prose
from cchc.markdown_legal import LegalLinksExtension, LinkTarget
from cchc.settings import SiteSettings

VN = dt.timezone(dt.timedelta(hours=7))
DATA = load_legal_data(SAMPLE_CONTENT / "documents.yml", Diagnostics())
DETECT = DATA.detector


def one(text: str, detector: Detector = DETECT):
    refs = detector.find(text)
    assert len(refs) == 1, [r.text for r in refs]
    return refs[0]


# --- detection and normalisation -----------------------------------------------------------
@pytest.mark.parametrize("text, matched, doc_id, number, doc_type, issuer", [
    ("theo Nghị định số 06/2023/NĐ-CP ngày 21/02/2023", "Nghị định số 06/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("theo Nghị định 06/2023/NĐ-CP", "Nghị định 06/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("theo Nghị định 73/2023/ND-CP", "Nghị định 73/2023/ND-CP", "73-2023-nd-cp", "73/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("theo nghị định số 06/2023/NĐ-CP", "nghị định số 06/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("THEO NGHỊ ĐỊNH SỐ 06/2023/NĐ-CP", "NGHỊ ĐỊNH SỐ 06/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("theo 06/2023/NĐ-CP", "06/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("theo số 6/2023/NĐ-CP", "6/2023/NĐ-CP", "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ"),
    ("Chỉ thị 23/CT-TTg", "Chỉ thị 23/CT-TTg", "23-ct-ttg", "23/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ"),
    ("Chỉ thị số 26/CT-TTG", "Chỉ thị số 26/CT-TTG", "26-ct-ttg", "26/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ"),
    ("Kế hoạch số 9000/KH-UBND", "Kế hoạch số 9000/KH-UBND", "9000-kh-ubnd", "9000/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh"),
    ("Quyết định 876/QĐ-BNV", "Quyết định 876/QĐ-BNV", "876-qd-bnv", "876/QĐ-BNV", "Quyết định", "Bộ Nội vụ"),
    ("Quyết định 876/QD-BNV", "Quyết định 876/QD-BNV", "876-qd-bnv", "876/QĐ-BNV", "Quyết định", "Bộ Nội vụ"),
    ("Thông tư 22/2023/TT-BTTTT", "Thông tư 22/2023/TT-BTTTT", "22-2023-tt-btttt", "22/2023/TT-BTTTT", "Thông tư", "Bộ Thông tin và Truyền thông"),
    ("Thông tư số 29/2024/TT-BGDDT", "Thông tư số 29/2024/TT-BGDDT", "29-2024-tt-bgddt", "29/2024/TT-BGDĐT", "Thông tư", "Bộ Giáo dục và Đào tạo"),
    ("Thông tư liên tịch số 01/2015/TTLT-BNV-BTC", "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC", "01-2015-ttlt-bnv-btc",
     "01/2015/TTLT-BNV-BTC", "Thông tư liên tịch", "Bộ Nội vụ, Bộ Tài chính"),
    ("Nghị quyết 76/NQ-CP", "Nghị quyết 76/NQ-CP", "76-nq-cp", "76/NQ-CP", "Nghị quyết", "Chính phủ"),
    ("Kế hoạch số 45/KH-SGDĐT", "Kế hoạch số 45/KH-SGDĐT", "45-kh-sgddt", "45/KH-SGDĐT", "Kế hoạch", "Sở Giáo dục và Đào tạo"),
    ("Chương trình số 3/CTr-UBND", "Chương trình số 3/CTr-UBND", "03-ctr-ubnd", "03/CTr-UBND", "Chương trình", "Ủy ban nhân dân tỉnh"),
    ("Nghị quyết số 18-NQ/TW", "Nghị quyết số 18-NQ/TW", "18-nq-tw", "18-NQ/TW", "Nghị quyết", "Trung ương Đảng"),
    ("Luật số 80/2015/QH13", "Luật số 80/2015/QH13", "80-2015-qh13", "80/2015/QH13", "Luật", "Quốc hội"),
    ("Công văn số 123/SGDĐT-VP", "Công văn số 123/SGDĐT-VP", "123-sgddt-vp", "123/SGDĐT-VP", "Công văn", "Sở Giáo dục và Đào tạo"),
])
def test_forms(text, matched, doc_id, number, doc_type, issuer):
    ref = one(text)
    assert (ref.text, ref.id, ref.number, ref.type, ref.issuer) == (matched, doc_id, number, doc_type, issuer)
    assert unicodedata.normalize("NFC", text)[ref.start:ref.end] == ref.text


def test_spellings_of_one_document_have_one_id():
    forms = ["Nghị định 73/2023/ND-CP", "Nghị định số 73/2023/NĐ-CP", "73/2023/NĐ-CP", "nghị định số 73/2023/ND-CP"]
    assert {one(f).id for f in forms} == {"73-2023-nd-cp"}
    assert {one(f).number for f in forms} == {"73/2023/NĐ-CP"}


def test_year_is_kept_in_the_id_only_when_written():
    assert one("Nghị quyết 76/NQ-CP").id == "76-nq-cp"
    assert one("Nghị quyết 76/NQ-CP").year is None
    assert one("Nghị định số 06/2023/NĐ-CP").year == 2023


def test_nfd_input():
    text = unicodedata.normalize("NFD", "Thực hiện Nghị định số 06/2023/NĐ-CP và Chỉ thị 23/CT-TTg.")
    refs = DETECT.find(text)
    assert [(r.id, r.text) for r in refs] == [("06-2023-nd-cp", "Nghị định số 06/2023/NĐ-CP"),
                                              ("23-ct-ttg", "Chỉ thị 23/CT-TTg")]


@pytest.mark.parametrize("text, matched", [
    ("theo Nghị định số 06/2023/NĐ-CP.", "Nghị định số 06/2023/NĐ-CP"),
    ("theo Nghị định số 06/2023/NĐ-CP, và", "Nghị định số 06/2023/NĐ-CP"),
    ("(Nghị định số 06/2023/NĐ-CP)", "Nghị định số 06/2023/NĐ-CP"),
    ("“Chỉ thị 23/CT-TTg”;", "Chỉ thị 23/CT-TTg"),
    ("Nghị định\nsố 06/2023/NĐ-CP:", "Nghị định\nsố 06/2023/NĐ-CP"),
    ("Căn cứ 9000/KH-UBND…", "9000/KH-UBND"),
])
def test_reference_in_a_sentence_with_punctuation(text, matched):
    assert one(text).text == matched


def test_several_references_in_one_sentence():
    refs = DETECT.find("Nghị định số 06/2023/NĐ-CP ngày 21/02/2023 và 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ")
    assert [r.id for r in refs] == ["06-2023-nd-cp", "73-2023-nd-cp"]
    assert refs[1].type == "Nghị định"  # from the code: no type word before it


@pytest.mark.parametrize("text", [
    "ngày 15/3/2025", "ngày 21/02/2023", "1/2 số đơn vị", "trực 24/7", "giai đoạn 2021-2030", "COVID-19",
    "tỷ lệ 3/4", "https://vanban.example.gov.vn/06/2023/NĐ-CP", "mã a06/2023/NĐ-CP", "x/06/2023/NĐ-CP",
    "06/23/NĐ-CP", "Nghị định số", "06/2023/nđ-cp", "số 123/UBND", "Tổ 5/KP",
])
def test_no_false_positives(text):
    assert DETECT.find(text) == []


def test_parse_whole_numbers():
    assert DETECT.parse("06/2023/ND-CP").number == "06/2023/NĐ-CP"
    assert DETECT.parse(" Nghị định số 06/2023/NĐ-CP ").type_word == "Nghị định"
    assert DETECT.parse("Nghị định số") is None
    assert DETECT.parse("06/2023/NĐ-CP và 07/2023/NĐ-CP") is None


def test_detection_without_data_file():
    bare = Detector()
    ref = one("Nghị định số 73/2023/ND-CP.", bare)
    assert (ref.id, ref.number, ref.text, ref.type, ref.issuer) == \
        ("73-2023-nd-cp", "73/2023/ND-CP", "73/2023/ND-CP", "", "CP")


def test_markdown_prose_drops_code_urls_and_tags():
    text = markdown_prose(
        "## Nghị định 1/2023/NĐ-CP\n\n"
        "Đoạn `Nghị định 2/2023/NĐ-CP` và ``mã `x` 3/2023/NĐ-CP`` hết.\n"
        "[Nghị định 4/2023/NĐ-CP](https://x.vn/5/2023/NĐ-CP \"6/2023/NĐ-CP\") <https://x.vn/7/2023/NĐ-CP>\n"
        "<a href=\"/8/2023/NĐ-CP\">văn bản</a> <!-- 9/2023/NĐ-CP --> <code>10/2023/NĐ-CP</code>\n\n"
        "```text\n11/2023/NĐ-CP\n```\n\n~~~~\n12/2023/NĐ-CP\n~~~~\n\n"
        "[ref]: https://x.vn/13/2023/NĐ-CP\nXem www.x.vn/14/2023/NĐ-CP và 15/2023/NĐ-CP.\n"
    )
    assert [r.number for r in DETECT.find(text)] == ["01/2023/NĐ-CP", "04/2023/NĐ-CP", "15/2023/NĐ-CP"]


# --- the Markdown extension ----------------------------------------------------------------
TARGETS = {doc_id: LinkTarget(f"/van-ban/{doc_id}/index.md", "Tiêu đề") for doc_id in
           ("06-2023-nd-cp", "73-2023-nd-cp", "876-qd-bnv", "22-2023-tt-btttt")}
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes"]


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS + [LegalLinksExtension(DETECT, TARGETS)])


def test_extension_links_prose_only():
    html = convert(
        "# Nghị định 06/2023/NĐ-CP\n\n"
        "Theo Nghị định số 06/2023/NĐ-CP và *Nghị định 73/2023/ND-CP*, không phải `06/2023/NĐ-CP`; "
        "[Quyết định 876/QĐ-BNV](https://x.vn/876) hoặc Quyết định 876/QĐ-BNV. Chỉ thị 23/CT-TTg không có trang.\n\n"
        "    mã 06/2023/NĐ-CP\n\n"
        "| Văn bản |\n|---|\n| 22/2023/TT-BTTTT |\n\n"
        "Chú thích[^1]\n\n[^1]: Xem 73/2023/NĐ-CP.\n"
    )
    assert re.search(r'<h1 id="[^"]*">Nghị định 06/2023/NĐ-CP</h1>', html)
    assert ('<p>Theo <a class="cchc-doc-ref" href="/van-ban/06-2023-nd-cp/index.md" title="Tiêu đề">'
            'Nghị định số 06/2023/NĐ-CP</a> và <em><a class="cchc-doc-ref" href="/van-ban/73-2023-nd-cp/index.md" '
            'title="Tiêu đề">Nghị định 73/2023/ND-CP</a></em>, không phải <code>06/2023/NĐ-CP</code>; '
            '<a href="https://x.vn/876">Quyết định 876/QĐ-BNV</a> hoặc <a class="cchc-doc-ref" '
            'href="/van-ban/876-qd-bnv/index.md" title="Tiêu đề">Quyết định 876/QĐ-BNV</a>. '
            'Chỉ thị 23/CT-TTg không có trang.</p>') in html
    assert "<pre><code>mã 06/2023/NĐ-CP\n</code></pre>" in html
    assert '<td><a class="cchc-doc-ref" href="/van-ban/22-2023-tt-btttt/index.md" title="Tiêu đề">22/2023/TT-BTTTT</a></td>' in html
    assert 'Xem <a class="cchc-doc-ref" href="/van-ban/73-2023-nd-cp/index.md" title="Tiêu đề">73/2023/NĐ-CP</a>.' in html


def test_extension_leaves_raw_html_and_text_without_references_alone():
    text = "<div><a href=\"x\">Nghị định 06/2023/NĐ-CP</a></div>\n\nKhông có văn bản nào: 15/3/2025.\n"
    assert convert(text) == markdown.markdown(text, extensions=EXTENSIONS)


def test_extension_normalises_nfd_text_it_links():
    html = convert(unicodedata.normalize("NFD", "Thực hiện Nghị định số 06/2023/NĐ-CP."))
    assert unicodedata.normalize("NFC", "Thực hiện ") + '<a class="cchc-doc-ref"' in html
    assert ">Nghị định số 06/2023/NĐ-CP</a>." in html


# --- content/documents.yml -----------------------------------------------------------------
def test_sample_data_file_is_valid():
    diags = Diagnostics()
    data = load_legal_data(SAMPLE_CONTENT / "documents.yml", diags)
    assert diags.items == []
    assert {"Nghị định", "Thông tư liên tịch", "Luật"} <= {t.name for t in data.types}
    assert data.issuers["TTg"] == "Thủ tướng Chính phủ"


def test_missing_data_file_is_no_data(tmp_path):
    diags = Diagnostics()
    data = load_legal_data(tmp_path / "documents.yml", diags)
    assert diags.items == [] and data.types == () and data.issuers == {} and data.documents == {}


def _load(tmp_path: Path, text: str):
    path = tmp_path / "documents.yml"
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics(tmp_path)
    return load_legal_data(path, diags), [(d.line, d.message) for d in diags.sorted()]


def test_data_file_documents_are_read(tmp_path):
    data, problems = _load(tmp_path, """\
types:
  - {name: "Nghị định", code: "NĐ"}
issuers:
  - {code: "CP", name: "Chính phủ"}
documents:
  - number: "6/2023/ND-CP"
    type: "nghị định"
    date: 2023-02-21
    title: "Quy định về kiểm định chất lượng đầu vào công chức"
    url: "https://vanban.chinhphu.vn/?docid=207582"
""")
    assert problems == []
    info = data.documents["06-2023-nd-cp"]
    assert (info.number, info.type, info.date, info.url) == \
        ("06/2023/NĐ-CP", "Nghị định", dt.date(2023, 2, 21), "https://vanban.chinhphu.vn/?docid=207582")


@pytest.mark.parametrize("text, line, message", [
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\n  - {name: \"Nghị  định\", code: \"ND2\"}\n", 3, "bị khai báo hai lần"),
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\n  - {name: \"Nghị quyết\", code: \"ND\"}\n", 3, "mã loại “ND” bị dùng hai lần"),
    ("types:\n  - {name: \"Nghị định\", code: \"N-Đ\"}\n", 2, "mã “N-Đ” không hợp lệ"),
    ("issuers:\n  - {code: \"CP\", name: \"Chính phủ\"}\n  - {code: \"cp\", name: \"Khác\"}\n", 3, "mã cơ quan “cp” bị khai báo hai lần"),
    ("issuers:\n  - {code: \"CP\"}\n", 2, "thiếu mục “name”"),
    ("documents:\n  - number: \"Nghị định số 06/2023/NĐ-CP\"\n", 2, "không đúng dạng số hiệu"),
    ("documents:\n  - number: \"15/3/2025\"\n", 2, "không đúng dạng số hiệu"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n  - number: \"6/2023/ND-CP\"\n", 3, "bị khai báo hai lần (lần đầu ở dòng 2)"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    url: \"vanban.chinhphu.vn\"\n", 3, "địa chỉ “vanban.chinhphu.vn” không hợp lệ"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    date: 2023-02-30\n", 3, "có ngày không tồn tại"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    date: \"21/02/2023\"\n", 3, "không phải ngày hợp lệ"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    tittle: \"x\"\n", 3, "mục “tittle” không dùng được"),
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\ndocuments:\n  - number: \"06/2023/NĐ-CP\"\n    type: \"Nghị đinh\"\n", 5,
     "loại văn bản “Nghị đinh” không có trong types"),
    ("types:\n  Nghị định: NĐ\n", 1, "“types” phải là một danh sách"),
    ("kinds: []\n", 1, "mục “kinds” không dùng được"),
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"\n", 2, "danh sách mở bằng"),
    ("- a\n- b\n", 1, "documents.yml phải gồm các mục"),
])
def test_data_file_problems_point_at_the_line(tmp_path, text, line, message):
    _, problems = _load(tmp_path, text)
    assert any(p_line == line and message in p_message for p_line, p_message in problems), problems


# --- the index, without the engine --------------------------------------------------------
def _fixture_content(tmp_path: Path, documents: str | None = None) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copytree(SAMPLE_CONTENT / "plans", content / "plans")
    for name in ("units.yml", "reporting.yml"):
        shutil.copy(SAMPLE_CONTENT / name, content / name)
    if documents is None:
        shutil.copy(SAMPLE_CONTENT / "documents.yml", content / "documents.yml")
    elif documents:
        (content / "documents.yml").write_text(documents, encoding="utf-8")
    shutil.copytree(FIXTURES / "legal" / "news", content / "news")
    return content


def _site_build(content: Path) -> SiteBuild:
    loaded = load_content(content)
    assert loaded.ok, loaded.diagnostics.format()
    return SiteBuild(loaded, SiteSettings(content_dir=content), dt.datetime(2026, 11, 25, 9, 0, tzinfo=VN))


def test_index_without_data_file_still_finds_documents(tmp_path):
    index = build_index(_site_build(_fixture_content(tmp_path, documents="")))
    docs = index.documents
    assert set(docs) == {"06-2023-nd-cp", "73-2023-nd-cp", "23-ct-ttg", "22-2023-tt-btttt", "876-qd-bnv",
                         "9000-kh-ubnd", "76-nq-cp", "18-nq-tw", "80-2015-qh13", "01-2015-ttlt-bnv-btc"}
    # the plan names 73/2023/NĐ-CP: its number, type and date win over the "ND-CP" of the article
    assert (docs["73-2023-nd-cp"].number, docs["73-2023-nd-cp"].type, docs["73-2023-nd-cp"].date) == \
        ("73/2023/NĐ-CP", "Nghị định", dt.date(2023, 9, 29))
    assert (docs["22-2023-tt-btttt"].type, docs["22-2023-tt-btttt"].issuer) == ("", "BTTTT")
    assert [name for name, _ in index.groups()][-1] == "Văn bản khác"


def test_known_documents_come_from_plans_and_data_file(tmp_path):
    plan = yaml.safe_load((SAMPLE_CONTENT / "plans" / "2025.yml").read_text(encoding="utf-8"))
    content = load_content(_fixture_content(tmp_path, documents=EXTRA_DOCUMENT))
    known = known_documents(content, load_legal_data(content.root / "documents.yml", Diagnostics()))
    own = known[DETECT.parse(plan["number"]).id]  # the plan itself
    assert (own.title, own.date) == (plan["title"], plan["date"])
    implemented = known[DETECT.parse(plan["implements"]["number"]).id]
    assert implemented.date == plan["implements"]["date"]
    for doc in plan["documents"]:
        info = known[DETECT.parse(doc["number"]).id]
        assert (info.type, info.date, info.title) == (doc["type"], doc["date"], doc["title"])
    assert known["22-2023-tt-btttt"].url == "https://vanban.example.gov.vn/22-2023-tt-btttt"


def test_index_data_file_errors_stop_the_build(tmp_path):
    """documents.yml is checked with the rest of the content (cchc check and the build)."""
    content = _fixture_content(tmp_path, documents="issuers:\n  - {code: \"CP\", name: \"Chính phủ\"}\n  - {code: \"CP\", name: \"x\"}\n")
    loaded = load_content(content)
    assert not loaded.ok
    assert "content/documents.yml:3: lỗi: mã cơ quan “CP” bị khai báo hai lần" in loaded.diagnostics.format()


# --- the built site ------------------------------------------------------------------------
EXTRA_DOCUMENT = """documents:
  - number: "22/2023/TT-BTTTT"
    date: 2023-12-31
    title: "Quy định yêu cầu đối với cổng thông tin điện tử và dịch vụ công trực tuyến"
    url: "https://vanban.example.gov.vn/22-2023-tt-btttt"
"""
ARTICLE_A = "tin-tuc/2025/03/pho-bien-nghi-dinh-06/"
ARTICLE_B = "tin-tuc/2025/04/trien-khai-ke-hoach-9000/"
ARTICLE_C = "tin-tuc/2025/05/quan-triet-nghi-quyet-18/"


class Page(HTMLParser):
    """Links (with the tags around them), code texts, headings, list items of a built page."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.links: list[dict] = []
        self.texts: dict[str, list[str]] = {"code": [], "h1": [], "h2": [], "li": [], "main": []}
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append({"href": attrs.get("href", ""), "class": attrs.get("class", "") or "", "title": attrs.get("title"),
                               "text": "", "inside": [t for t, _ in self.stack],
                               "li": next((a.get("data-document") for t, a in reversed(self.stack) if t == "li"), None)})
        if tag in self.VOID:
            return
        self.stack.append((tag, attrs))
        if tag in self.texts or (tag == "article"):
            self._open.append((tag if tag != "article" else "main", []))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag in self.texts or open_tag == "article":
                name, parts = self._open.pop()
                self.texts[name].append("".join(parts))
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)
        if self.stack and any(t == "a" for t, _ in self.stack) and self.links:
            self.links[-1]["text"] += data

    def doc_refs(self) -> list[dict]:
        return [link for link in self.links if "cchc-doc-ref" in link["class"].split()]


def resolve(page_url: str, href: str) -> str:
    """The site file a relative href of the page at `page_url` (directory URL) points at."""
    assert not href.startswith(("/", "http:", "https:")), href
    target = posixpath.normpath(posixpath.join(page_url, href))
    return target + "/index.html" if href.endswith("/") else target


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("legal")
    content = _fixture_content(tmp)
    data = (content / "documents.yml").read_text(encoding="utf-8")
    assert "documents: []" in data
    (content / "documents.yml").write_text(data.replace("documents: []\n", EXTRA_DOCUMENT), encoding="utf-8")
    built = build_site(tmp, content, extra={"page_size": 2})
    assert built.ok, built.output
    return built


def test_index_groups_documents_by_type_with_counts(site):
    page = Page(site.read("van-ban/index.html"))
    groups = [h.split(" (")[0].strip() for h in page.texts["h2"] if "(" in h]
    assert groups == ["Chỉ thị", "Kế hoạch", "Luật", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư", "Thông tư liên tịch"]
    listed = {link["li"]: (link["text"], link["href"]) for link in page.links if link["li"]}
    assert listed == {
        "23-ct-ttg": ("Chỉ thị số 23/CT-TTg", "../van-ban/23-ct-ttg/"),
        "9000-kh-ubnd": ("Kế hoạch số 9000/KH-UBND", "../van-ban/9000-kh-ubnd/"),
        "80-2015-qh13": ("Luật số 80/2015/QH13", "../van-ban/80-2015-qh13/"),
        "06-2023-nd-cp": ("Nghị định số 06/2023/NĐ-CP", "../van-ban/06-2023-nd-cp/"),
        "73-2023-nd-cp": ("Nghị định số 73/2023/NĐ-CP", "../van-ban/73-2023-nd-cp/"),
        "18-nq-tw": ("Nghị quyết số 18-NQ/TW", "../van-ban/18-nq-tw/"),
        "76-nq-cp": ("Nghị quyết số 76/NQ-CP", "../van-ban/76-nq-cp/"),
        "876-qd-bnv": ("Quyết định số 876/QĐ-BNV", "../van-ban/876-qd-bnv/"),
        "22-2023-tt-btttt": ("Thông tư số 22/2023/TT-BTTTT", "../van-ban/22-2023-tt-btttt/"),
        "01-2015-ttlt-bnv-btc": ("Thông tư liên tịch số 01/2015/TTLT-BNV-BTC", "../van-ban/01-2015-ttlt-bnv-btc/"),
    }
    items = {text.split("(")[0].strip(): text for text in page.texts["li"] if " tin)" in text}
    counts = {name: int(text.split("(")[1].split(" ")[0]) for name, text in items.items()}
    assert counts == {
        "Chỉ thị số 23/CT-TTg": 1, "Kế hoạch số 9000/KH-UBND": 1, "Luật số 80/2015/QH13": 1,
        "Nghị định số 06/2023/NĐ-CP": 3, "Nghị định số 73/2023/NĐ-CP": 1, "Nghị quyết số 18-NQ/TW": 1,
        "Nghị quyết số 76/NQ-CP": 1, "Quyết định số 876/QĐ-BNV": 1, "Thông tư số 22/2023/TT-BTTTT": 2,
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC": 1,
    }
    # Plan data: issuer, date and title of a document named in content/plans/2025.yml
    nd06 = next(text for name, text in items.items() if name == "Nghị định số 06/2023/NĐ-CP")
    assert "Quy định về kiểm định chất lượng đầu vào công chức" in nd06 and "Chính phủ" in nd06 and "21/02/2023" in nd06
    # Within a type, newest first: 06/2023 (21/02/2023) after 73/2023 (29/09/2023)
    order = [link["li"] for link in page.links if link["li"]]
    assert order.index("73-2023-nd-cp") < order.index("06-2023-nd-cp")


def test_nothing_only_in_code_drafts_or_scheduled_articles_gets_a_page(site):
    for doc_id in ("99-2023-nd-cp", "1234-kh-ubnd", "99-2024-tt-bgddt", "555-qd-ubnd"):
        assert not site.exists(f"van-ban/{doc_id}/index.html"), doc_id
    assert "99/2024/TT-BGDĐT" not in site.read("van-ban/index.html")


def _card_links(site, url: str) -> list[str]:
    """Article URLs listed on a paginated listing, following its pages."""
    found, page_url = [], url
    while page_url:
        page = Page(site.read(page_url + "index.html"))
        found += [posixpath.normpath(posixpath.join(page_url, link["href"])) + "/" for link in page.links
                  if "h2" in link["inside"] and "li" in link["inside"]]  # card titles
        nxt = [l["href"] for l in page.links if l["text"].startswith("Trang sau")]
        page_url = posixpath.normpath(posixpath.join(page_url, nxt[0])) + "/" if nxt else None
    return found


def test_document_page_lists_citing_articles_paginated(site):
    assert _card_links(site, "van-ban/06-2023-nd-cp/") == [ARTICLE_C, ARTICLE_B, ARTICLE_A]
    assert site.exists("van-ban/06-2023-nd-cp/trang/2/index.html")
    assert _card_links(site, "van-ban/22-2023-tt-btttt/") == [ARTICLE_B, ARTICLE_A]
    assert _card_links(site, "van-ban/18-nq-tw/") == [ARTICLE_C]  # cited in the title only
    page = Page(site.read("van-ban/06-2023-nd-cp/index.html"))
    assert page.texts["h1"] == ["Nghị định số 06/2023/NĐ-CP"]
    html = site.read("van-ban/06-2023-nd-cp/index.html")
    assert "<title>Nghị định số 06/2023/NĐ-CP" in html
    assert "3 tin nhắc đến văn bản này · Trang 1/2" in html


def test_document_page_shows_metadata(site):
    html = site.read("van-ban/22-2023-tt-btttt/index.html")  # from documents.yml
    assert "Quy định yêu cầu đối với cổng thông tin điện tử và dịch vụ công trực tuyến" in html
    assert '<time datetime="2023-12-31">31/12/2023</time>' in html
    assert 'href="https://vanban.example.gov.vn/22-2023-tt-btttt"' in html
    assert "Bộ Thông tin và Truyền thông" in html
    html = site.read("van-ban/76-nq-cp/index.html")  # no year in the number: the plan gives the date
    assert '<time datetime="2021-07-15">15/07/2021</time>' in html
    assert "Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030" in html
    html = site.read("van-ban/80-2015-qh13/index.html")  # type from the word in the article
    assert "<h1>Luật số 80/2015/QH13</h1>" in html and "Quốc hội" in html


def test_article_links_references_to_their_pages(site):
    page = Page(site.read(ARTICLE_A + "index.html"))
    refs = {link["text"]: link for link in page.doc_refs()}
    assert set(refs) == {"Nghị định số 06/2023/NĐ-CP", "Nghị định 73/2023/ND-CP", "Chỉ thị 23/CT-TTg"}
    expected = {"Nghị định số 06/2023/NĐ-CP": "van-ban/06-2023-nd-cp/index.html",
                "Nghị định 73/2023/ND-CP": "van-ban/73-2023-nd-cp/index.html",
                "Chỉ thị 23/CT-TTg": "van-ban/23-ct-ttg/index.html"}
    for text, target in expected.items():
        href = refs[text]["href"]
        assert resolve(ARTICLE_A, href) == target
        assert site.exists(target)
    assert refs["Nghị định số 06/2023/NĐ-CP"]["title"] == "Quy định về kiểm định chất lượng đầu vào công chức"
    body = "".join(page.texts["main"])
    assert "Chỉ thị 23/CT-TTg." in body  # the full stop stays outside the link
    for not_a_reference in ("15/3/2025", "1/2", "24/7"):
        assert not any(not_a_reference in link["text"] for link in page.links)


def test_article_leaves_code_links_and_headings_alone(site):
    page = Page(site.read(ARTICLE_A + "index.html"))
    for link in page.doc_refs():
        assert not {"code", "pre", "h1", "h2", "h3", "a"} & set(link["inside"]), link
    assert any("Nghị định 99/2023/NĐ-CP" in code for code in page.texts["code"])
    assert any("Kế hoạch số 1234/KH-UBND" in code for code in page.texts["code"])
    # heading: the document has a page (B cites it in prose), but the heading is not linked
    assert any(h.startswith("Thông tư 22/2023/TT-BTTTT") for h in page.texts["h2"])
    assert not any("van-ban/22-2023-tt-btttt" in link["href"] for link in page.links)
    # an existing link keeps its target and gets no link inside
    existing = [link for link in page.links if link["text"] == "Quyết định 876/QĐ-BNV"]
    assert [link["href"] for link in existing] == ["https://vanban.example.gov.vn/876"]
    assert not any("van-ban/876-qd-bnv" in link["href"] for link in page.links)

    other = Page(site.read(ARTICLE_B + "index.html"))
    linked = {link["text"]: resolve(ARTICLE_B, link["href"]) for link in other.doc_refs()}
    assert linked == {"Kế hoạch số 9000/KH-UBND": "van-ban/9000-kh-ubnd/index.html",
                      "nghị định số 06/2023/NĐ-CP": "van-ban/06-2023-nd-cp/index.html",
                      "Nghị quyết 76/NQ-CP": "van-ban/76-nq-cp/index.html",
                      "Thông tư 22/2023/TT-BTTTT": "van-ban/22-2023-tt-btttt/index.html"}


def test_every_link_to_a_document_page_resolves(site):
    for path in sorted(site.site.rglob("index.html")):
        url = path.parent.relative_to(site.site).as_posix() + "/"
        if url == "./":
            url = ""
        for link in Page(path.read_text(encoding="utf-8")).links:
            if "van-ban/" in link["href"] and not link["href"].startswith(("http:", "https:")):
                assert site.exists(resolve(url, link["href"])), (url, link["href"])


def test_navigation_has_documents_after_units(site):
    nav = [link["text"].strip() for link in Page(site.read("index.html")).links if "md-tabs__link" in link["class"]]
    assert nav.index("Văn bản") == nav.index("Đơn vị") + 1


def test_bad_data_file_stops_the_build(tmp_path):
    content = _fixture_content(tmp_path, documents="documents:\n  - number: \"06/2023/NĐ-CP\"\n    url: \"không phải địa chỉ\"\n")
    built = build_site(tmp_path, content)
    assert not built.ok
    assert "content/documents.yml:3: lỗi: địa chỉ “không phải địa chỉ” không hợp lệ" in built.output
