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
from cchc.legal import Detector, document_id, load_legal_data, markdown_prose
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


@pytest.mark.parametrize("text, matched", [
    ("Nghị định số 06/2023/NÐ-CP", "Nghị định số 06/2023/NÐ-CP"),  # Ð: U+00D0 (Icelandic eth) for Đ
    ("Nghị định số 06/2023/nð-CP", None),  # lower-case type code: not a number (as "nđ-cp")
    ("Nghị định số 06/2023/NĐ\u2013CP", "Nghị định số 06/2023/NĐ\u2013CP"),  # en dash
    ("Nghị định số 06/2023/NĐ\u2011CP", "Nghị định số 06/2023/NĐ\u2011CP"),  # non-breaking hyphen
    ("Nghị định số 06/2023/NĐ - CP", "Nghị định số 06/2023/NĐ - CP"),
    ("Nghị định số 06/2023/NĐ -CP.", "Nghị định số 06/2023/NĐ -CP"),
])
def test_look_alike_characters_and_spaced_dashes(text, matched):
    refs = DETECT.find(text)
    if matched is None:
        assert refs == []
        return
    assert len(refs) == 1
    ref = refs[0]
    assert (ref.text, ref.id, ref.number, ref.type, ref.issuer) == \
        (matched, "06-2023-nd-cp", "06/2023/NĐ-CP", "Nghị định", "Chính phủ")


def test_look_alikes_in_other_codes():
    assert one("Quyết định 876/QĐ\u2013BNV").id == "876-qd-bnv"
    assert one("Thông tư 29/2024/TT-BGDÐT").number == "29/2024/TT-BGDĐT"
    assert one("Nghị quyết 18\u2013NQ/TW").number == "18-NQ/TW"


def test_spaced_dash_only_before_a_known_issuer():
    # "– Quy định …" after a number is punctuation, not part of it
    assert one("Nghị định 06/2023/NĐ-CP – Quy định về công chức").number == "06/2023/NĐ-CP"
    assert one("Quyết định 876/QĐ-BNV - VP").number == "876/QĐ-BNV"
    assert Detector().find("Nghị định 06/2023/NĐ - CP") == []  # no data file: no known issuers


@pytest.mark.parametrize("text, doc_type", [
    ("Luật Tổ chức chính quyền địa phương số 77/2015/QH13", "Luật"),
    ("theo Luật Tổ chức chính quyền địa phương số 77/2015/QH13 của Quốc hội", "Luật"),
    ("Pháp lệnh Ủy ban Thường vụ Quốc hội số 02/2022/UBTVQH15", "Pháp lệnh"),
    ("Luật được sửa đổi năm 2019, số 77/2015/QH13", ""),  # a digit and a comma in between
    ("Luật một hai ba bốn năm sáu bảy tám chín số 77/2015/QH13", ""),  # 9 words between: too far
    ("Nghị quyết 77/2015/QH13", "Nghị quyết"),
])
def test_type_word_a_few_words_before_the_number(text, doc_type):
    ref = one(text)
    assert ref.type == doc_type
    assert ref.text.endswith("77/2015/QH13") or ref.text.endswith("UBTVQH15")
    if ref.type_word and "số" in text:
        assert ref.text == ref.text.split(" ")[-1]  # the far type word is not part of the link text


@pytest.mark.parametrize("text, doc_id", [
    ("Kế hoạch số 45/KH-SGDĐT ngày 10/3/2025", "45-kh-sgddt-2025"),
    ("Kế hoạch số 45/KH-SGDĐT, ngày 10 tháng 3 năm 2024 về", "45-kh-sgddt-2024"),
    ("Kế hoạch số 45/KH-SGDĐT của Sở Giáo dục và Đào tạo ngày 5/1/2023", "45-kh-sgddt-2023"),
    ("Kế hoạch số 45/KH-SGDĐT (ngày 5/1/2023)", "45-kh-sgddt-2023"),
    ("Nghị quyết số 18-NQ/TW ngày 25/10/2017", "18-nq-tw-2017"),
    # not the date the document was issued
    ("Kế hoạch số 45/KH-SGDĐT và báo cáo kết quả về Sở trước ngày 15/11/2022", "45-kh-sgddt"),
    ("Kế hoạch số 45/KH-SGDĐT. Ngày 15/11/2022, Sở họp", "45-kh-sgddt"),
    ("Kế hoạch số 45/KH-SGDĐT của mình ngày 15/11/2022", "45-kh-sgddt"),
    ("Kế hoạch số 45/KH-SGDĐT ngày 31/02/2025", "45-kh-sgddt"),  # no such day
    ("Kế hoạch số 45/KH-SGDĐT\n\nngày 10/3/2025", "45-kh-sgddt"),  # another paragraph
    # a number with its own year keeps its id, whatever date follows
    ("Nghị định số 06/2023/NĐ-CP ngày 21/02/2023", "06-2023-nd-cp"),
])
def test_year_of_a_number_without_one_comes_from_the_date_after_it(text, doc_id):
    ref = DETECT.find(text)[0]
    assert ref.id == doc_id
    assert ref.base_id == doc_id[: len(ref.base_id)]
    assert ref.undated == (doc_id == "45-kh-sgddt")
    assert ref.text.split(" ")[-1] in ("45/KH-SGDĐT", "18-NQ/TW", "06/2023/NĐ-CP")  # the date is not linked


def test_aliases_map_misprints_to_their_document():
    detector = Detector(DATA.types, DATA.issuers, {"26/CTTTg": ("26-ct-ttg-2023", "26/CT-TTg")})
    ref = one("thực hiện Chỉ thị số 26/CTTTg của Thủ tướng", detector)
    assert (ref.id, ref.number, ref.text, ref.type, ref.undated) == \
        ("26-ct-ttg-2023", "26/CT-TTg", "Chỉ thị số 26/CTTTg", "Chỉ thị", False)
    assert one("26/ctttg", detector).id == "26-ct-ttg-2023"  # as codes: letter case does not matter
    assert one("Chỉ thị 26/CT-TTg", detector).id == "26-ct-ttg"  # the real number is still itself
    assert Detector(DATA.types, DATA.issuers).find("Chỉ thị số 26/CTTTg") == []  # without the alias: not a number


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


@pytest.mark.parametrize("markdown, numbers", [
    ("Đoạn văn.\n\n    Nghị định 11/2023/NĐ-CP trong khối mã thụt lề\n\nTheo 12/2023/NĐ-CP.", ["12/2023/NĐ-CP"]),
    ("Đoạn\tvăn.\n\n\t11/2023/NĐ-CP\n", []),  # a tab indents 4
    ("Dòng một\n    11/2023/NĐ-CP nối tiếp đoạn\n", ["11/2023/NĐ-CP"]),  # no blank line: same paragraph
    ("- mục\n\n    11/2023/NĐ-CP, đoạn thứ hai của mục\n", ["11/2023/NĐ-CP"]),
    ("- mục\n\n        11/2023/NĐ-CP\n", []),  # code inside the list item
    ("- mục\n\n    - mục con\n\n        11/2023/NĐ-CP trong mục con\n", ["11/2023/NĐ-CP"]),
    ("- mục\n\nĐoạn mới.\n\n    11/2023/NĐ-CP\n", []),  # after the list: code again
    ("!!! note\n\n    Theo 11/2023/NĐ-CP.\n", ["11/2023/NĐ-CP"]),  # admonition body
    ("Xem[^1].\n\n[^1]: Theo 11/2023/NĐ-CP.\n\n    Đoạn hai 12/2023/NĐ-CP.\n",
     ["11/2023/NĐ-CP", "12/2023/NĐ-CP"]),  # footnotes are text
    ("![Ảnh Nghị định 11/2023/NĐ-CP](anh.jpg) Theo 12/2023/NĐ-CP", ["12/2023/NĐ-CP"]),  # alt text
    ("Đoạn văn\n{: title=\"11/2023/NĐ-CP\" }\n\nĐoạn {: 12/2023/NĐ-CP }", ["12/2023/NĐ-CP"]),
    ("Nghị định **11/2023/NĐ-CP** và *Nghị định* 12/2023/NĐ-CP", ["11/2023/NĐ-CP", "12/2023/NĐ-CP"]),
])
def test_markdown_prose_reads_blocks_as_markdown_does(markdown, numbers):
    assert [r.number for r in DETECT.find_in_markdown(markdown)] == numbers


def test_emphasis_does_not_hide_the_type_word_or_the_date():
    (ref,) = DETECT.find_in_markdown("*Kế hoạch* số 45/KH-SGDĐT _ngày 10/3/2025_.")
    assert (ref.type_word, ref.id) == ("Kế hoạch", "45-kh-sgddt-2025")


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


def test_extension_leaves_inline_html_links_and_code_alone():
    """Python-Markdown keeps inline HTML as placeholders in the text: what stands between <a>
    and </a> (or <code>, <kbd>, <samp>) is the staff's own link or code, never linked again."""
    html = convert('Xem <a href="https://x.vn/6">Nghị định 06/2023/NĐ-CP</a>, mã <code>73/2023/NĐ-CP</code>, '
                   '<kbd>876/QĐ-BNV</kbd> và <a href="https://x.vn">văn bản <em>22/2023/TT-BTTTT</em></a>; '
                   'còn <span>Nghị định 73/2023/NĐ-CP</span> và 06/2023/NĐ-CP thì có.')
    assert '<a href="https://x.vn/6">Nghị định 06/2023/NĐ-CP</a>' in html
    assert "<code>73/2023/NĐ-CP</code>" in html and "<kbd>876/QĐ-BNV</kbd>" in html
    assert '<a href="https://x.vn">văn bản <em>22/2023/TT-BTTTT</em></a>' in html
    linked = re.findall(r'<a class="cchc-doc-ref" href="/van-ban/([^/]+)/index.md"[^>]*>([^<]*)</a>', html)
    assert linked == [("73-2023-nd-cp", "Nghị định 73/2023/NĐ-CP"), ("06-2023-nd-cp", "06/2023/NĐ-CP")]
    assert html.count("<a ") == 4  # no link inside a link


def test_extension_reads_a_sentence_across_inline_markup():
    targets = {"45-kh-sgddt-2025": LinkTarget("/van-ban/45-kh-sgddt-2025/index.md"),
               "06-2023-nd-cp": LinkTarget("/van-ban/06-2023-nd-cp/index.md")}
    html = markdown.markdown("Theo *Kế hoạch* số 45/KH-SGDĐT *ngày 10/3/2025* và Nghị định số&nbsp;06/2023/NĐ-CP.",
                             extensions=EXTENSIONS + [LegalLinksExtension(DETECT, targets)])
    assert ('<em>Kế hoạch</em> số <a class="cchc-doc-ref" href="/van-ban/45-kh-sgddt-2025/index.md">'
            '45/KH-SGDĐT</a> <em>ngày 10/3/2025</em>') in html
    assert 'số&nbsp;<a class="cchc-doc-ref" href="/van-ban/06-2023-nd-cp/index.md">06/2023/NĐ-CP</a>.' in html


AGREEMENT = {
    "paragraph": "Theo Nghị định 11/2023/NĐ-CP.\n",
    "indented code": "Đoạn văn.\n\n    Nghị định 12/2023/NĐ-CP trong khối mã thụt lề\n",
    "code in a list": "- mục\n\n        13/2023/NĐ-CP\n",
    "list paragraph": "- mục\n\n    Đoạn hai theo 14/2023/NĐ-CP.\n",
    "fence": "```\n15/2023/NĐ-CP\n```\n",
    "footnote": "Chú thích[^1].\n\n[^1]: Xem 16/2023/NĐ-CP.\n",
    "admonition": "!!! note \"Nghị định 17/2023/NĐ-CP\"\n    Theo 18/2023/NĐ-CP.\n",
    "table": "| Văn bản |\n|---|\n| 19/2023/NĐ-CP |\n",
    "image alt": "![Nghị định 20/2023/NĐ-CP](anh.jpg)\n",
    "emphasis": "Nghị định **21/2023/NĐ-CP** và *Nghị định* 22/2023/NĐ-CP\n",
    "md in html": "<div markdown>\nNghị định 23/2023/NĐ-CP\n</div>\n",
    "inline html code": "Mã <code>24/2023/NĐ-CP</code>.\n",
    "attr list": "Đoạn văn\n{: title=\"25/2023/NĐ-CP\" }\n",
    "html comment": "Đoạn <!-- 26/2023/NĐ-CP --> văn.\n",
}


@pytest.mark.parametrize("name", sorted(AGREEMENT))
def test_index_and_links_agree(name):
    """A document the index counts for an article's prose is linked in the page, and a link is
    never made to a document the index does not count (both read the same text)."""
    text = AGREEMENT[name]
    indexed = {r.id for r in DETECT.find_in_markdown(text)}
    targets = {f"{n}-2023-nd-cp": LinkTarget(f"/van-ban/{n}-2023-nd-cp/index.md") for n in range(10, 30)}
    html = markdown.markdown(text, extensions=EXTENSIONS + ["fenced_code", LegalLinksExtension(DETECT, targets)])
    linked = set(re.findall(r'href="/van-ban/([^/]+)/index.md"', html))
    assert indexed == linked, (indexed, linked)


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


def test_data_file_year_and_aliases(tmp_path):
    data, problems = _load(tmp_path, """\
types:
  - {name: "Kế hoạch", code: "KH"}
  - {name: "Chỉ thị", code: "CT"}
issuers:
  - {code: "SGDĐT", name: "Sở Giáo dục và Đào tạo"}
  - {code: "TTg", name: "Thủ tướng Chính phủ"}
documents:
  - number: "45/KH-SGDĐT"
    year: 2024
    title: "Kế hoạch năm 2024"
  - number: "45/KH-SGDĐT"
    date: 2025-02-10
    title: "Kế hoạch năm 2025"
  - number: "26/CT-TTg"
    aliases: ["26/CTTTg", "26/CT-TT"]
  - number: "06/2023/NĐ-CP"
    year: 2023
""")
    assert problems == []
    assert {k: (v.number, v.year, v.title) for k, v in data.documents.items() if k.startswith("45")} == {
        "45-kh-sgddt-2024": ("45/KH-SGDĐT", 2024, "Kế hoạch năm 2024"),
        "45-kh-sgddt-2025": ("45/KH-SGDĐT", 2025, "Kế hoạch năm 2025"),
    }
    assert data.documents["26-ct-ttg"].aliases == ("26/CTTTg", "26/CT-TT")
    assert "06-2023-nd-cp" in data.documents  # a year in the number: the id does not change
    assert one("Chỉ thị số 26/CTTTg", data.detector).id == "26-ct-ttg"
    assert one("Kế hoạch 45/KH-SGDĐT ngày 1/3/2025", data.detector).id == "45-kh-sgddt-2025"


@pytest.mark.parametrize("text, line, message", [
    ("documents:\n  - number: \"45/KH-UBND\"\n  - number: \"45/KH-UBND\"\n    year: 2025\n", 3,
     "văn bản “45/KH-UBND” bị khai báo hai lần (lần đầu ở dòng 2)"),
    ("documents:\n  - number: \"45/KH-UBND\"\n    year: 2025\n  - number: \"45/KH-UBND\"\n    date: 2025-03-01\n", 4,
     "bị khai báo hai lần"),
    ("documents:\n  - number: \"45/KH-UBND\"\n    year: 25\n", 3, "năm “25” không hợp lệ"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    year: 2024\n", 3, "năm 2024 khác năm 2023 trong số hiệu"),
    ("documents:\n  - number: \"45/KH-UBND\"\n    year: 2024\n    date: 2025-01-02\n", 4,
     "ngày 02/01/2025 không thuộc năm 2024"),
    ("documents:\n  - number: \"26/CT-TTg\"\n    aliases: [\"CT-TTg 26\"]\n", 3, "bí danh “CT-TTg 26” không đúng dạng"),
    ("documents:\n  - number: \"26/CT-TTg\"\n    aliases: [\"26/CT-TTG\"]\n", 3, "bí danh “26/CT-TTG” là chính số hiệu"),
    ("documents:\n  - number: \"26/CT-TTg\"\n    aliases: [\"26/CTTTg\"]\n  - number: \"27/CT-TTg\"\n"
     "    aliases: [\"26/ctttg\"]\n", 5, "bí danh “26/ctttg” đã được dùng (dòng 3)"),
    ("documents:\n  - number: \"26/CT-TTg\"\n    aliases: [\"27/CT-TTg\"]\n  - number: \"27/CT-TTg\"\n", 3,
     "bí danh “27/CT-TTg” là số hiệu của một văn bản khác (dòng 4)"),
    ("documents:\n  - number: \"26/CT-TTg\"\n    aliases: {a: 1}\n", 3, "“aliases” phải là một danh sách"),

    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\n  - {name: \"Nghị  định\", code: \"ND2\"}\n", 3, "bị khai báo hai lần"),
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\n  - {name: \"Nghị quyết\", code: \"ND\"}\n", 3, "mã loại “ND” bị dùng hai lần"),
    ("types:\n  - {name: \"Nghị định\", code: \"N-Đ\"}\n", 2, "mã “N-Đ” không hợp lệ"),
    ("issuers:\n  - {code: \"CP\", name: \"Chính phủ\"}\n  - {code: \"cp\", name: \"Khác\"}\n", 3, "mã cơ quan “cp” bị khai báo hai lần"),
    ("issuers:\n  - {code: \"CP\"}\n", 2, "thiếu mục “name”"),
    ("documents:\n  - number: \"Nghị định số 06/2023/NĐ-CP\"\n", 2, "không đúng dạng số hiệu"),
    ("documents:\n  - number: \"15/3/2025\"\n", 2, "không đúng dạng số hiệu"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n  - number: \"6/2023/ND-CP\"\n", 3, "bị khai báo hai lần (lần đầu ở dòng 2)"),
    ("documents:\n  - number: \"06/2023/NĐ-CP\"\n    url: \"vanban.chinhphu.vn\"\n", 3, "địa chỉ toàn văn “vanban.chinhphu.vn” không hợp lệ"),
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



LONG = "X" * 3000


@pytest.mark.parametrize(("text", "line", "message"), [
    (f"documents:\n  - number: \"06/2023/NĐ-CP\"\n    t{LONG[:900]}: 1\n", 3, "mục “tXXX"),  # a YAML key stops at 1024 characters
    (f"types:\n  - {{name: \"Nghị định\", code: \"N-{LONG}\"}}\n", 2, "mã “N-XXX"),
    (f"documents:\n  - number: \"45/KH-UBND\"\n    year: \"{LONG}\"\n", 3, "năm “XXX"),
    (f"types:\n  - {{name: \"Nghị định {LONG}\", code: \"NĐ\"}}\n  - {{name: \"Nghị định {LONG}\", code: \"ND2\"}}\n",
     3, "loại văn bản “Nghị định XXX"),
    (f"issuers:\n  - {{code: \"C{LONG}\", name: \"A\"}}\n  - {{code: \"C{LONG}\", name: \"B\"}}\n", 3, "mã cơ quan “CXXX"),
    (f"documents:\n  - number: \"Nghị định số {LONG}\"\n", 2, "số hiệu “Nghị định số XXX"),
    (f"documents:\n  - number: \"06/2023/NĐ-CP\"\n    url: \"vanban {LONG}\"\n", 3, "địa chỉ toàn văn “vanban XXX"),
    (f"documents:\n  - number: \"26/CT-TTg\"\n    aliases: [\"CT {LONG}\"]\n", 3, "bí danh “CT XXX"),
    ("types:\n  - {name: \"Nghị định\", code: \"NĐ\"}\ndocuments:\n  - number: \"06/2023/NĐ-CP\"\n"
     f"    type: \"Nghị {LONG}\"\n", 5, "loại văn bản “Nghị XXX"),
])
def test_data_file_problems_quote_long_values_shortened(tmp_path, text, line, message):
    """A 3,000-character value in documents.yml is named cut short ("…"), not printed whole."""
    path = tmp_path / "documents.yml"
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics(tmp_path)
    load_legal_data(path, diags)
    found = [d for d in diags.items if d.message.startswith(message)]
    assert found and found[0].line == line, [(d.line, d.message[:200]) for d in diags.items]
    assert "…" in found[0].message and len(found[0].message) < 200
    for item in diags.items:
        assert "X" * 100 not in item.message + item.hint

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


def _with_documents(documents: str) -> str:
    """The sample documents.yml (types and issuers) with `documents` as its documents: list."""
    data = (SAMPLE_CONTENT / "documents.yml").read_text(encoding="utf-8")
    head, _, _ = data.partition("\ndocuments:")
    assert "types:" in head and "issuers:" in head
    return head + "\n" + documents


def _site_build(content: Path) -> SiteBuild:
    loaded = load_content(content)
    assert loaded.ok, loaded.diagnostics.format()
    return SiteBuild(loaded, SiteSettings(content_dir=content), dt.datetime(2026, 11, 25, 9, 0, tzinfo=VN))


def test_index_without_data_file_still_finds_documents(tmp_path):
    index = build_index(_site_build(_fixture_content(tmp_path, documents="")))
    docs = index.documents
    # numbers without a year: the plan's date (23/CT-TTg, 9000/KH-UBND, 76/NQ-CP) or the date
    # written after the number (45/KH-SGDĐT, cited for 2024 and for 2025) gives the year
    assert set(docs) == {"06-2023-nd-cp", "73-2023-nd-cp", "23-ct-ttg-2021", "22-2023-tt-btttt", "876-qd-bnv",
                         "9000-kh-ubnd-2024", "76-nq-cp-2021", "18-nq-tw", "80-2015-qh13", "01-2015-ttlt-bnv-btc",
                         "45-kh-sgddt-2024", "45-kh-sgddt-2025", "77-2015-qh13", "321-sgddt-vp"}
    # the plan names 73/2023/NĐ-CP: its number, type and date win over the "ND-CP" of the article
    assert (docs["73-2023-nd-cp"].number, docs["73-2023-nd-cp"].type, docs["73-2023-nd-cp"].date) == \
        ("73/2023/NĐ-CP", "Nghị định", dt.date(2023, 9, 29))
    assert (docs["22-2023-tt-btttt"].type, docs["22-2023-tt-btttt"].issuer) == ("", "BTTTT")
    assert [name for name, _ in index.groups()][-1] == "Văn bản khác"


def _article(content: Path, name: str, body: str, date: str = "2025-08-01 08:00") -> None:
    path = content / "news" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: \"Tin {name}\"\nslug: {name.split('/')[-1]}\ndate: {date}\n"
                    f"categories: [chu-truong-chinh-sach]\nunit: van-phong\n---\n\n{body}\n", encoding="utf-8")


def _docs(content: Path) -> dict[str, tuple[str, list[str]]]:
    index = build_index(_site_build(content))
    return {doc.id: (doc.label, [a.slug for a in doc.articles]) for doc in index.documents.values()}


def test_citation_without_year_goes_to_the_one_document_with_that_number(tmp_path):
    content = _fixture_content(tmp_path)
    _article(content, "2025/08/a", "Theo Kế hoạch số 12/KH-SGDĐT ngày 3/2/2025 của Sở.")
    _article(content, "2025/08/b", "Tiếp tục thực hiện Kế hoạch số 12/KH-SGDĐT.", date="2025-08-02 08:00")
    docs = _docs(content)
    assert docs["12-kh-sgddt-2025"] == ("Kế hoạch số 12/KH-SGDĐT", ["b", "a"])
    assert "12-kh-sgddt" not in docs


def test_citation_without_year_of_a_number_used_in_two_years_stays_apart(tmp_path):
    content = _fixture_content(tmp_path)
    _article(content, "2025/08/a", "Theo Kế hoạch số 12/KH-SGDĐT ngày 3/2/2025 và Kế hoạch số 12/KH-SGDĐT ngày 5/1/2024.")
    _article(content, "2025/08/b", "Tiếp tục thực hiện Kế hoạch số 12/KH-SGDĐT.")
    docs = _docs(content)
    assert docs["12-kh-sgddt-2025"] == ("Kế hoạch số 12/KH-SGDĐT (năm 2025)", ["a"])
    assert docs["12-kh-sgddt-2024"] == ("Kế hoạch số 12/KH-SGDĐT (năm 2024)", ["a"])
    assert docs["12-kh-sgddt"] == ("Kế hoạch số 12/KH-SGDĐT (không rõ năm)", ["b"])


def test_citation_without_year_goes_to_the_document_staff_know(tmp_path):
    # the plan names 23/CT-TTg of 02/09/2021; an article cites a 23/CT-TTg of 2025 with its date
    content = _fixture_content(tmp_path)
    _article(content, "2025/08/a", "Chỉ thị số 23/CT-TTg ngày 4/4/2025 của Thủ tướng Chính phủ.")
    docs = _docs(content)
    assert docs["23-ct-ttg-2021"][1] == ["pho-bien-nghi-dinh-06"]  # "Chỉ thị 23/CT-TTg", no date
    assert docs["23-ct-ttg-2025"][1] == ["a"]


def test_documents_yml_year_and_plan_date_are_one_document(tmp_path):
    # documents.yml names 26/CT-TTg without a year, the plan with its date: one document, one page
    content = _fixture_content(tmp_path, documents=_with_documents(EXTRA_DOCUMENT))
    _article(content, "2025/08/a", "Chỉ thị 26/CT-TTg và Chỉ thị số 26/CTTTg.")
    docs = _docs(content)
    assert [doc_id for doc_id in docs if doc_id.startswith("26-")] == ["26-ct-ttg-2023"]
    assert docs["26-ct-ttg-2023"][1] == ["a", "cap-nhat-van-ban"]  # (the fixture's article D: "26/CTTTg")


def with_year(number: str, date: dt.date | None) -> str:
    """The id of a document known with its date: the year is added when the number has none."""
    ref = DETECT.parse(number)
    return document_id(ref.base_id, ref.year, date.year if date else None)


def test_known_documents_come_from_plans_and_data_file(tmp_path):
    plan = yaml.safe_load((SAMPLE_CONTENT / "plans" / "2025.yml").read_text(encoding="utf-8"))
    content = load_content(_fixture_content(tmp_path, documents=EXTRA_DOCUMENT))
    known = known_documents(content, load_legal_data(content.root / "documents.yml", Diagnostics()))
    if plan["number"]:  # the plan itself, once its file has the number of the signed plan
        own = known[DETECT.parse(plan["number"]).id]
        assert (own.title, own.date) == (plan["title"], plan["date"])
    implemented = known[with_year(plan["implements"]["number"], plan["implements"]["date"])]
    assert implemented.date == plan["implements"]["date"]
    for doc in plan["documents"]:
        info = known[with_year(doc["number"], doc["date"])]
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
  - number: "26/CT-TTg"
    aliases: ["26/CTTTg"]
"""
ARTICLE_A = "tin-tuc/2025/03/pho-bien-nghi-dinh-06/"
ARTICLE_B = "tin-tuc/2025/04/trien-khai-ke-hoach-9000/"
ARTICLE_C = "tin-tuc/2025/05/quan-triet-nghi-quyet-18/"
ARTICLE_D = "tin-tuc/2025/07/cap-nhat-van-ban/"


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
    (content / "documents.yml").write_text(_with_documents(EXTRA_DOCUMENT), encoding="utf-8")
    built = build_site(tmp, content, extra={"page_size": 2})
    assert built.ok, built.output
    return built


def test_index_groups_documents_by_type_with_counts(site):
    page = Page(site.read("van-ban/index.html"))
    groups = [h.split(" (")[0].strip() for h in page.texts["h2"] if "(" in h]
    assert groups == ["Chỉ thị", "Công văn", "Kế hoạch", "Luật", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư",
                      "Thông tư liên tịch"]
    listed = {link["li"]: (link["text"], link["href"]) for link in page.links if link["li"]}
    assert listed == {
        "23-ct-ttg-2021": ("Chỉ thị số 23/CT-TTg", "../van-ban/23-ct-ttg-2021/"),
        "26-ct-ttg-2023": ("Chỉ thị số 26/CT-TTg", "../van-ban/26-ct-ttg-2023/"),  # cited as “26/CTTTg” (alias)
        "321-sgddt-vp": ("Công văn số 321/SGDĐT-VP", "../van-ban/321-sgddt-vp/"),  # in a footnote
        "9000-kh-ubnd-2024": ("Kế hoạch số 9000/KH-UBND", "../van-ban/9000-kh-ubnd-2024/"),
        "45-kh-sgddt-2024": ("Kế hoạch số 45/KH-SGDĐT (năm 2024)", "../van-ban/45-kh-sgddt-2024/"),
        "45-kh-sgddt-2025": ("Kế hoạch số 45/KH-SGDĐT (năm 2025)", "../van-ban/45-kh-sgddt-2025/"),
        "77-2015-qh13": ("Luật số 77/2015/QH13", "../van-ban/77-2015-qh13/"),  # "Luật Tổ chức … số 77/2015/QH13"
        "80-2015-qh13": ("Luật số 80/2015/QH13", "../van-ban/80-2015-qh13/"),
        "06-2023-nd-cp": ("Nghị định số 06/2023/NĐ-CP", "../van-ban/06-2023-nd-cp/"),
        "73-2023-nd-cp": ("Nghị định số 73/2023/NĐ-CP", "../van-ban/73-2023-nd-cp/"),
        "18-nq-tw": ("Nghị quyết số 18-NQ/TW", "../van-ban/18-nq-tw/"),
        "76-nq-cp-2021": ("Nghị quyết số 76/NQ-CP", "../van-ban/76-nq-cp-2021/"),
        "876-qd-bnv": ("Quyết định số 876/QĐ-BNV", "../van-ban/876-qd-bnv/"),
        "22-2023-tt-btttt": ("Thông tư số 22/2023/TT-BTTTT", "../van-ban/22-2023-tt-btttt/"),
        "01-2015-ttlt-bnv-btc": ("Thông tư liên tịch số 01/2015/TTLT-BNV-BTC", "../van-ban/01-2015-ttlt-bnv-btc/"),
    }
    items = {re.sub(r"\s*\(\d+ tin\).*", "", text, flags=re.S).strip(): text for text in page.texts["li"] if " tin)" in text}
    counts = {name: int(re.search(r"\((\d+) tin\)", text).group(1)) for name, text in items.items()}
    assert counts == {
        "Chỉ thị số 23/CT-TTg": 1, "Chỉ thị số 26/CT-TTg": 1, "Công văn số 321/SGDĐT-VP": 1,
        "Kế hoạch số 9000/KH-UBND": 1, "Kế hoạch số 45/KH-SGDĐT (năm 2024)": 1, "Kế hoạch số 45/KH-SGDĐT (năm 2025)": 1,
        "Luật số 77/2015/QH13": 1, "Luật số 80/2015/QH13": 1,
        # 06/2023/NĐ-CP: not counted for D, where it is only in <code>; 73/2023/NĐ-CP: cited (as a link) in D
        "Nghị định số 06/2023/NĐ-CP": 3, "Nghị định số 73/2023/NĐ-CP": 2, "Nghị quyết số 18-NQ/TW": 1,
        "Nghị quyết số 76/NQ-CP": 1, "Quyết định số 876/QĐ-BNV": 2, "Thông tư số 22/2023/TT-BTTTT": 2,
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC": 1,
    }
    # two documents numbered 45/KH-SGDĐT: the year in the label and under it, newest first
    kh45 = [" ".join(text.split()) for text in page.texts["li"] if text.strip().startswith("Kế hoạch số 45/KH-SGDĐT")]
    assert kh45 == ["Kế hoạch số 45/KH-SGDĐT (năm 2025) (1 tin) Sở Giáo dục và Đào tạo · năm 2025",
                    "Kế hoạch số 45/KH-SGDĐT (năm 2024) (1 tin) Sở Giáo dục và Đào tạo · năm 2024"]
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
                  if ("h2" in link["inside"] or "h3" in link["inside"]) and "li" in link["inside"]]  # card titles
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
    html = site.read("van-ban/76-nq-cp-2021/index.html")  # no year in the number: the plan gives the date
    assert '<time datetime="2021-07-15">15/07/2021</time>' in html
    assert "Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030" in html
    html = site.read("van-ban/80-2015-qh13/index.html")  # type from the word in the article
    assert "<h1>Luật số 80/2015/QH13</h1>" in html and "Quốc hội" in html
    html = site.read("van-ban/45-kh-sgddt-2025/index.html")  # year from "ngày 10/02/2025" after the number
    assert "<h1>Kế hoạch số 45/KH-SGDĐT (năm 2025)</h1>" in html
    assert "<dt>Năm ban hành</dt><dd>2025</dd>" in html
    assert not site.exists("van-ban/45-kh-sgddt/index.html")  # both citations give their year


def test_article_links_references_to_their_pages(site):
    page = Page(site.read(ARTICLE_A + "index.html"))
    refs = {link["text"]: link for link in page.doc_refs()}
    assert set(refs) == {"Nghị định số 06/2023/NĐ-CP", "Nghị định 73/2023/ND-CP", "Chỉ thị 23/CT-TTg"}
    expected = {"Nghị định số 06/2023/NĐ-CP": "van-ban/06-2023-nd-cp/index.html",
                "Nghị định 73/2023/ND-CP": "van-ban/73-2023-nd-cp/index.html",
                "Chỉ thị 23/CT-TTg": "van-ban/23-ct-ttg-2021/index.html"}  # the plan's date: 02/09/2021
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
    assert linked == {"Kế hoạch số 9000/KH-UBND": "van-ban/9000-kh-ubnd-2024/index.html",
                      "nghị định số 06/2023/NĐ-CP": "van-ban/06-2023-nd-cp/index.html",
                      "Nghị quyết 76/NQ-CP": "van-ban/76-nq-cp-2021/index.html",
                      "Thông tư 22/2023/TT-BTTTT": "van-ban/22-2023-tt-btttt/index.html"}


def test_inline_html_code_footnotes_years_and_aliases_in_an_article(site):
    page = Page(site.read(ARTICLE_D + "index.html"))
    # the staff's inline <a> keeps its text and target, with no link inside (axe: link-name)
    staff = [link for link in page.links if link["href"] == "https://vanban.example.gov.vn/73"]
    assert [link["text"] for link in staff] == ["Nghị định 73/2023/NĐ-CP"]
    assert any(code == "06/2023/NĐ-CP" for code in page.texts["code"])
    for link in page.doc_refs():
        assert not {"code", "a"} & set(link["inside"]), link
    linked = {link["text"]: resolve(ARTICLE_D, link["href"]) for link in page.doc_refs()}
    assert linked == {
        "Kế hoạch số 45/KH-SGDĐT": "van-ban/45-kh-sgddt-2025/index.html",  # the last one wins the dict: 2025
        "77/2015/QH13": "van-ban/77-2015-qh13/index.html",
        "Chỉ thị số 26/CTTTg": "van-ban/26-ct-ttg-2023/index.html",  # documents.yml: aliases: ["26/CTTTg"]
        "Quyết định 876/QĐ–BNV": "van-ban/876-qd-bnv/index.html",  # en dash
        "Công văn số 321/SGDĐT-VP": "van-ban/321-sgddt-vp/index.html",  # in the footnote
    }
    kh45 = [resolve(ARTICLE_D, link["href"]) for link in page.doc_refs() if link["text"] == "Kế hoạch số 45/KH-SGDĐT"]
    assert kh45 == ["van-ban/45-kh-sgddt-2024/index.html", "van-ban/45-kh-sgddt-2025/index.html"]
    # a number only in an indented code block has no page and no link
    assert any("777/QĐ-UBND" in code for code in page.texts["code"])
    assert not site.exists("van-ban/777-qd-ubnd/index.html")
    assert _card_links(site, "van-ban/321-sgddt-vp/") == [ARTICLE_D]
    assert ARTICLE_D not in _card_links(site, "van-ban/06-2023-nd-cp/")  # only in <code> there


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
    assert "content/documents.yml:3: lỗi: địa chỉ toàn văn “không phải địa chỉ” không hợp lệ" in built.output
