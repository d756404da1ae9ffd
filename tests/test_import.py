"""`cchc import`: a Word document (made here with python-docx) becomes a draft article an officer
can publish; old .doc files go through the real LibreOffice."""

from __future__ import annotations

import re

import shutil
import subprocess
from pathlib import Path

import docx
import frontmatter
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from cchc import legacy_encodings as le
from cchc.placeholders import MISSING_ALT

from support import BIN, build_site, copy_content, env, make_content, run_cchc
from word_fixtures import PHOTO_AUTO, PHOTO_DESK, PHOTO_HALL, TITLE, legacy_run, picture, png_bytes, sample_news

NOW = "2026-11-25 09:00"
SLUG = "hoi-nghi-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2024"
ARTICLE = f"news/2025/03/{SLUG}.md"
IMAGES = f"news/2025/03/images/{SLUG}"

EXPECTED_BODY = f"""\
Sáng 14/3/2025, Sở Giáo dục và Đào tạo tổ chức **hội nghị tổng kết** công tác cải cách hành chính (CCHC) năm 2024 \
và triển khai nhiệm vụ năm 2025 trên hệ thống email công vụ. Dự hội nghị có lãnh đạo các phòng, đơn vị trực thuộc và \
*Phòng GD&ĐT các huyện*.

Theo báo cáo, ngành đã đẩy mạnh cải cách hành chính gắn với chuyển đổi số, thực hiện Nghị định số 73/2023/NĐ-CP của \
Chính phủ; tỷ lệ hồ sơ đúng hạn đạt 100%.

## KẾT QUẢ NỔI BẬT

- Tiếp nhận 1.250 hồ sơ trực tuyến
    - Hồ sơ cấp bản sao văn bằng
    - Hồ sơ chuyển trường
- Không có hồ sơ trễ hạn

### Chi tiết theo đơn vị

| Đơn vị | Hồ sơ | Ghi chú |
|---|---|---|
| Văn phòng Sở | 820 | Đúng hạn |
| | 310 | |
| Phòng GD&ĐT | 120 | |

![Quang cảnh hội nghị tổng kết công tác CCHC](images/{SLUG}/anh1.png "Ảnh: Quang cảnh hội nghị")

![{MISSING_ALT}](images/{SLUG}/anh2.png "Bộ phận một cửa tiếp nhận hồ sơ")

![{MISSING_ALT}](images/{SLUG}/anh3.png)

## Nhiệm vụ năm 2025

1. Đẩy mạnh dịch vụ công trực tuyến toàn trình

    a) Hướng dẫn phụ huynh nộp hồ sơ qua Cổng Dịch vụ công

    b) Rút ngắn thời gian giải quyết

2. Nâng cao chỉ số hài lòng của người dân

Người dân tra cứu hồ sơ tại [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html).
"""


def do_import(content: Path, source: Path, *extra: str, path_env: str | None = None):
    if path_env is None:
        return run_cchc("--content", str(content), "import", str(source), *extra, build_date=NOW)
    variables = {**env(NOW), "PATH": path_env}
    return subprocess.run([str(BIN / "cchc"), "--content", str(content), "import", str(source), *extra],
                          capture_output=True, text=True, env=variables)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def publish(path: Path, descriptions: list[str]) -> None:
    """What the officer does next: write the missing descriptions, remove draft: true."""
    text = path.read_text(encoding="utf-8")
    for description in descriptions:
        text = text.replace(MISSING_ALT, description, 1)
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")


# --- The whole way: Word document → draft → published page ---------------------------------------------
def test_a_word_document_becomes_a_draft_then_a_published_page(tmp_path):
    content = make_content(tmp_path)
    source = sample_news(tmp_path / "Bao cao hoi nghi.docx")
    result = do_import(content, source, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"content/{ARTICLE}"

    path = content / ARTICLE
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    assert post["title"] == TITLE  # typed in .VnTime (TCVN3), bold and centred in Word
    assert post["slug"] == SLUG
    assert str(post["date"]) == "2025-03-15"  # "Bến Tre, ngày 15 tháng 3 năm 2025"
    assert post["categories"] == ["thu-tuc-hanh-chinh"] and post["unit"] == "van-phong"
    assert post["draft"] is True
    assert post.content == EXPECTED_BODY.strip()

    # Every image, byte for byte, in the article's own folder; nothing else written.
    assert sorted(p.relative_to(content).as_posix() for p in (content / "news").rglob("*") if p.is_file()) == sorted([
        f"{IMAGES}/anh1.png", f"{IMAGES}/anh2.png", f"{IMAGES}/anh3.png", ARTICLE])
    assert [(content / IMAGES / f"anh{n}.png").read_bytes() for n in (1, 2, 3)] == [PHOTO_HALL, PHOTO_DESK, PHOTO_AUTO]

    # What needs the officer's attention.
    err = result.stderr
    assert "tiêu đề: “Hội nghị tổng kết công tác cải cách hành chính năm 2024” (lấy từ đoạn in đậm căn giữa đầu tiên)" in err
    assert "ngày đăng: 15/03/2025 (ngày ghi trong văn bản)" in err
    assert "2 ảnh chưa có mô tả (alt): anh2.png, anh3.png (mô tả do Word tự tạo)" in err
    assert "bảng có ô gộp" in err
    for font in (".VnTime (TCVN3 (ABC))", ".VnTimeH (TCVN3 (ABC) chữ hoa)", "VNI-Times (VNI Windows)", "VPS Times (VPS)"):
        assert f"đã chuyển 1 đoạn chữ phông {font} sang Unicode" in err
    assert "Traceback" not in err

    # The draft passes `cchc check` (the missing descriptions are warnings while it is a draft).
    checked = run_cchc("--content", str(content), "check", build_date=NOW)
    assert checked.returncode == 0, checked.stderr
    assert f"content/{ARTICLE}:" in checked.stdout and MISSING_ALT in checked.stdout

    # Published as is, the placeholders would be: `cchc check` refuses.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    refused = run_cchc("--content", str(content), "check", build_date=NOW)
    assert refused.returncode == 1 and "ảnh chưa có mô tả" in refused.stderr
    path.write_text(text, encoding="utf-8")

    publish(path, ["Công chức Bộ phận một cửa tiếp nhận hồ sơ", "Đại biểu dự hội nghị"])
    checked = run_cchc("--content", str(content), "check", build_date=NOW)
    assert checked.returncode == 0, checked.stderr
    assert f"content/{ARTICLE}" not in checked.stdout + checked.stderr  # nothing left to say about it

    built = build_site(tmp_path, content, build_date=NOW)
    assert built.ok, built.output
    page = built.read(f"tin-tuc/2025/03/{SLUG}/index.html")
    body = page.split('class="cchc-article__body"')[1]
    assert f"<h1>{TITLE}</h1>" in page
    assert '<h2 id="ket-qua-noi-bat">KẾT QUẢ NỔI BẬT' in body
    assert '<h3 id="chi-tiet-theo-don-vi">Chi tiết theo đơn vị' in body
    assert "<li>Tiếp nhận 1.250 hồ sơ trực tuyến<ul>\n<li>Hồ sơ cấp bản sao văn bằng</li>" in body
    assert "<p>a) Hướng dẫn phụ huynh nộp hồ sơ qua Cổng Dịch vụ công</p>" in body
    assert "<th>Đơn vị</th>" in body and "<td>Văn phòng Sở</td>" in body
    # the caption under the picture (a figure), the picture published resized (cchc.pictures)
    figure = re.search(r'<figure class="cchc-figure"><picture>.*?</picture><figcaption>Ảnh: Quang cảnh hội nghị'
                       r'</figcaption></figure>', body, re.S)
    assert figure and 'alt="Quang cảnh hội nghị tổng kết công tác CCHC"' in figure.group(0), body
    assert re.search(rf'src="\.\./images/{SLUG}/anh1-[0-9a-f]{{10}}-\d+\.(png|jpg)"', figure.group(0))
    assert 'alt="Công chức Bộ phận một cửa tiếp nhận hồ sơ"' in body
    assert 'href="https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"' in body
    assert "van-ban/" in body  # the cited decree links to its page
    assert list((built.site / f"tin-tuc/2025/03/images/{SLUG}").glob("anh1-*.webp"))
    assert not built.exists(f"tin-tuc/2025/03/images/{SLUG}/anh1.png")  # the original is never published


def test_suggestions_when_category_and_unit_are_not_given(tmp_path):
    content = copy_content(tmp_path)  # the sample articles: what the suggestion learns from
    source = sample_news(tmp_path / "tin.docx")
    result = do_import(content, source)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "chưa chọn chuyên mục (--category): đã ghi gợi ý thứ nhất vào dòng categories:" in err
    assert "chưa chọn đơn vị (--unit): đã ghi gợi ý thứ nhất vào dòng unit:" in err
    ranked = [line.strip() for line in err.splitlines() if line.strip()[:3] in ("1) ", "2) ", "3) ")]
    assert len(ranked) == 6 and all("từ quyết định: " in line and "(điểm " in line for line in ranked)
    first_category = ranked[0].split()[1]
    first_unit = ranked[3].split()[1]
    assert first_unit == "van-phong"  # "Văn phòng Sở" is named in the text
    text = (content / ARTICLE).read_text(encoding="utf-8")
    assert f"categories: [{first_category}]  # gợi ý tự động, kiểm tra lại; gợi ý khác: " in text
    assert "unit: van-phong  # gợi ý tự động, kiểm tra lại" in text
    checked = run_cchc("--content", str(content), "check", build_date=NOW)
    assert checked.returncode == 0, checked.stderr


def test_the_title_property_wins_and_is_not_repeated_in_the_body(tmp_path):
    content = make_content(tmp_path)
    document = docx.Document()
    document.core_properties.title = "Tập huấn dịch vụ công trực tuyến cho phụ huynh"
    heading = document.add_paragraph("Tập huấn dịch vụ công trực tuyến cho phụ huynh")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.runs[0].bold = True
    document.add_paragraph("Trường tổ chức tập huấn cho 200 phụ huynh.")
    document.save(tmp_path / "tap-huan.docx")
    result = do_import(content, tmp_path / "tap-huan.docx", "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    post = frontmatter.loads((tmp_path / result.stdout.strip()).read_text(encoding="utf-8"))
    assert post["title"] == "Tập huấn dịch vụ công trực tuyến cho phụ huynh"
    assert post.content == "Trường tổ chức tập huấn cho 200 phụ huynh."
    assert "lấy từ thuộc tính Tiêu đề (Title) của tệp Word" in result.stderr
    assert "ngày ghi trong văn bản" not in result.stderr
    assert str(post["date"]) == NOW  # no stated date: now


def test_only_the_legacy_runs_of_a_mixed_paragraph_are_converted(tmp_path):
    """A Unicode run's "©", "½" or "¸" is text, not TCVN3: only the run in a legacy font is converted."""
    content = make_content(tmp_path)
    document = docx.Document()
    title = document.add_heading("Thông báo lịch tiếp công dân", level=1)
    del title
    paragraph = document.add_paragraph()
    paragraph.add_run("Bản quyền © Sở GD&ĐT, ½ ngày, dấu ¸ ")
    legacy_run(paragraph, "tiếp công dân định kỳ", ".VnTime", le.TCVN3)
    paragraph.add_run(" và ")
    legacy_run(paragraph, "giải quyết khiếu nại", "VNI-Helve", le.VNI)
    document.save(tmp_path / "lich.docx")
    result = do_import(content, tmp_path / "lich.docx", "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    post = frontmatter.loads((tmp_path / result.stdout.strip()).read_text(encoding="utf-8"))
    assert post["title"] == "Thông báo lịch tiếp công dân"
    assert post.content == "Bản quyền © Sở GD&ĐT, ½ ngày, dấu ¸ tiếp công dân định kỳ và giải quyết khiếu nại"


def test_import_never_overwrites(tmp_path):
    content = make_content(tmp_path)
    source = sample_news(tmp_path / "tin.docx")
    assert do_import(content, source, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong").returncode == 0
    (content / ARTICLE).write_text((content / ARTICLE).read_text(encoding="utf-8") + "\nĐoạn đã sửa.\n", encoding="utf-8")
    before = tree(content)
    again = do_import(content, source, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert again.returncode == 1
    assert f"đã có bài với slug “{SLUG}” (có thể tệp này đã được nhập)" in again.stderr
    assert tree(content) == before

    # Another article's leftover images in the folder the new one would use: refused, nothing written.
    other = make_content(tmp_path / "khac")
    (other / IMAGES).mkdir(parents=True)
    (other / IMAGES / "anh1.png").write_bytes(b"anh cu")
    before = tree(other)
    result = do_import(other, source, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 1 and "đã có tệp; không ghi đè" in result.stderr
    assert tree(other) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("khong-co.docx", None, "không tìm thấy tệp"),
    ("ghi-chu.docx", b"Day la van ban thuong", "không phải tệp Word .docx"),
    ("hong.docx", b"PK\x03\x04 hong", "không mở được như tài liệu Word"),
    ("co-mat-khau.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "là tệp Word cũ (.doc) hoặc tệp .docx có mật khẩu"),
    ("bang.xlsx", b"PK\x03\x04", "không phải tệp Word (.docx hoặc .doc)"),
    ("bom.docx", "zip-bomb", "quá lớn khi giải nén (61 MB; tối đa 400 MB, phần văn bản tối đa 60 MB)"),
])
def test_files_that_are_not_word_documents_get_a_vietnamese_error(tmp_path, name, data, message):
    content = make_content(tmp_path)
    if data == "zip-bomb":  # 60 kB on disk, 61 MB of XML once unpacked: refused before unpacking
        import zipfile

        with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr("word/document.xml", b"<w:document>" + b" " * (61 * 1024 * 1024) + b"</w:document>")
    elif data is not None:
        (tmp_path / name).write_bytes(data)
    before = tree(content)
    result = do_import(content, tmp_path / name, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr and "→ Cách sửa: " in result.stderr
    assert tree(content) == before


def test_unknown_category_is_refused_before_writing(tmp_path):
    content = make_content(tmp_path)
    source = sample_news(tmp_path / "tin.docx")
    result = do_import(content, source, "--category", "thu-tuc-hanh-chin", "--unit", "van-phong")
    assert result.returncode == 1 and "có phải ý bạn là “thu-tuc-hanh-chinh”" in result.stderr
    assert not list((content / "news").rglob("*"))


# --- Old .doc files through LibreOffice ---------------------------------------------------------------
def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is not installed: run `make test` (scripts/ensure-test-tools.sh installs libreoffice-writer)")
    return found


def test_an_old_doc_file_is_converted_through_libreoffice(tmp_path):
    content = make_content(tmp_path)
    source = sample_news(tmp_path / "tin.docx")
    profile = tmp_path / "lo-profile"
    converted = subprocess.run([_soffice(), "--headless", f"-env:UserInstallation={profile.as_uri()}",
                                "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(source)],
                               capture_output=True, text=True, timeout=300)
    doc = tmp_path / "doc" / "tin.doc"
    assert doc.is_file(), converted.stderr
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real Word 97-2003 file

    result = do_import(content, doc, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    post = frontmatter.loads((content / ARTICLE).read_text(encoding="utf-8"))
    assert post["title"] == TITLE and str(post["date"]) == "2025-03-15"
    body = post.content
    # LibreOffice's .doc keeps no image descriptions: all three are to be written.
    assert body.count(f"![{MISSING_ALT}](images/{SLUG}/anh") == 3
    for expected in ("## KẾT QUẢ NỔI BẬT", "    - Hồ sơ cấp bản sao văn bằng", "| Đơn vị | Hồ sơ | Ghi chú |",
                     "1. Đẩy mạnh dịch vụ công trực tuyến toàn trình", "a) Hướng dẫn phụ huynh",
                     "cải cách hành chính gắn với chuyển đổi số",
                     "[Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html)"):
        assert expected in body
    assert len(list((content / IMAGES).iterdir())) == 3
    checked = run_cchc("--content", str(content), "check", build_date=NOW)
    assert checked.returncode == 0, checked.stderr


def test_a_doc_file_without_libreoffice_says_how_to_install_it(tmp_path):
    content = make_content(tmp_path)
    doc = tmp_path / "cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    result = do_import(content, doc, "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong", path_env=str(empty_path))
    assert result.returncode == 1, result.stderr
    assert "cần LibreOffice để chuyển sang .docx, nhưng máy chưa cài LibreOffice" in result.stderr
    assert "sudo apt-get install --no-install-recommends libreoffice-writer" in result.stderr
    assert "Lưu thành (Save As) định dạng .docx" in result.stderr
    assert not list((content / "news").rglob("*"))


# --- Pieces of the conversion ------------------------------------------------------------------------------
def test_a_national_heading_table_is_left_out_and_its_date_used(tmp_path):
    content = make_content(tmp_path)
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTRƯỜNG THPT CHUYÊN BẾN TRE"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 1).text = "Bến Tre, ngày 02 tháng 4 năm 2025"
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("Trường THPT Chuyên Bến Tre hưởng ứng phong trào Bình dân học vụ số").bold = True
    document.add_paragraph("Nhà trường tổ chức lớp kỹ năng số cho phụ huynh.")
    picture(document, png_bytes(200, 120), descr="Phụ huynh học kỹ năng số")
    document.save(tmp_path / "thpt.docx")
    result = do_import(content, tmp_path / "thpt.docx", "--category", "chinh-quyen-so")
    assert result.returncode == 0, result.stderr
    path = tmp_path / result.stdout.strip()
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    assert post["title"] == "Trường THPT Chuyên Bến Tre hưởng ứng phong trào Bình dân học vụ số"
    assert str(post["date"]) == "2025-04-02" and path.parent.name == "04"
    assert "CỘNG HÒA" not in post.content and post.content.startswith("Nhà trường tổ chức")
    assert "đã bỏ phần quốc hiệu, tiêu ngữ" in result.stderr
    assert post["unit"] == "truong-thpt-chuyen-ben-tre"  # suggested from the school's name in the text
    assert "không có ảnh" not in result.stderr and "ảnh chưa có mô tả" not in result.stderr


@pytest.mark.parametrize("encoding", [le.TCVN3, le.VNI, le.VPS])
def test_conversion_tables_give_back_every_letter(encoding):
    lower = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    text = lower if encoding == le.TCVN3 else lower + lower.upper()
    if encoding == le.VPS:  # capitals VPS keeps in control codes, which Word documents cannot hold
        text = "".join(c for c in text if c not in "ẠẶẪẬẸỆỊỌỘỢỤỮỰỴ")
    stored = le.encode(text, encoding)
    assert stored != text
    assert le.convert(stored, encoding) == text


def test_capitals_font_and_font_names():
    assert le.convert(le.encode("hội nghị", le.TCVN3), le.TCVN3_CAPITALS) == "HỘI NGHỊ"
    assert le.convert("Héi nghÞ c¶i c¸ch hµnh chÝnh", le.TCVN3) == "Hội nghị cải cách hành chính"
    assert le.convert("Hoäi nghò caûi caùch haønh chính", le.VNI) == "Hội nghị cải cách hành chính"
    assert le.convert("HOÄI NGHÒ", le.VNI) == "HỘI NGHỊ"
    assert {name: le.encoding_for_font(name) for name in (
        ".VnTime", ".VnTimeH", ".VnArial NarrowH", ".VnCentury Schoolbook", "VNI-Times", "VNI-Helve-Condense",
        "VPS Times", "Times New Roman", "Arial", None)} == {
        ".VnTime": le.TCVN3, ".VnTimeH": le.TCVN3_CAPITALS, ".VnArial NarrowH": le.TCVN3_CAPITALS,
        ".VnCentury Schoolbook": le.TCVN3, "VNI-Times": le.VNI, "VNI-Helve-Condense": le.VNI, "VPS Times": le.VPS,
        "Times New Roman": None, "Arial": None, None: None}


# --- The imported article in a real browser, on a phone and on a desktop ------------------------------
@pytest.mark.parametrize(("name", "viewport"), [("phone", {"width": 390, "height": 844}),
                                                ("desktop", {"width": 1366, "height": 768})])
def test_the_imported_article_in_a_browser(tmp_path, name, viewport):
    from browser import chromium, screenshot, serve_directory

    content = make_content(tmp_path)
    result = do_import(content, sample_news(tmp_path / "tin.docx"), "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    publish(content / ARTICLE, ["Công chức Bộ phận một cửa tiếp nhận hồ sơ", "Đại biểu dự hội nghị"])
    built = build_site(tmp_path, content, build_date=NOW)
    assert built.ok, built.output
    with serve_directory(built.site) as base, chromium() as browser:
        page = browser.new_page(viewport=viewport, locale="vi-VN")
        page.goto(f"{base}tin-tuc/2025/03/{SLUG}/")
        page.wait_for_load_state("load")
        article = page.locator("article.cchc-article")
        assert article.locator("h1").inner_text().strip() == TITLE
        body = article.locator(".cchc-article__body")
        assert [h.strip().rstrip("#") for h in body.locator("h2").all_inner_texts()] == ["KẾT QUẢ NỔI BẬT", "Nhiệm vụ năm 2025"]
        assert body.locator("ul ul li").count() == 2 and body.locator("ol > li").count() == 2
        assert body.locator("table th").all_inner_texts() == ["Đơn vị", "Hồ sơ", "Ghi chú"]
        images = body.locator("img")
        assert images.count() == 3
        # Every photo arrived and is drawn within the page's width.
        widths = page.evaluate("""() => [...document.querySelectorAll('.cchc-article__body img')]
                                   .map(i => [i.naturalWidth, i.getBoundingClientRect().right])""")
        assert all(natural > 0 and right <= viewport["width"] + 0.5 for natural, right in widths), widths
        # Nothing makes a phone scroll sideways (the table included).
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        link = body.get_by_role("link", name="Cổng Dịch vụ công quốc gia")
        assert link.get_attribute("href") == "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"
        shot = screenshot(page, f"import-article-{name}")
        assert shot.stat().st_size > 10_000


# --- Word's less common structures, read without the command ---------------------------------------------
def _convert(document, tmp_path, name="x.docx"):
    from cchc.word_markdown import convert
    from cchc.word_reader import read_docx

    document.save(tmp_path / name)
    return convert(read_docx(tmp_path / name), "images/bai")


def test_hyperlink_fields_text_boxes_and_a_stale_title_property(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.core_properties.title = "Mẫu thông báo năm 2019"  # left from the document this one was copied from
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("Thông báo tuyển sinh lớp 10 trực tuyến").bold = True
    field = document.add_paragraph("Đăng ký tại ")
    # A hyperlink as an old document stores it: a HYPERLINK field (begin / instruction / result / end).
    for xml in ('<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {w}><w:instrText xml:space="preserve"> HYPERLINK "https://tuyensinh.bentre.edu.vn" \\o "Mở" </w:instrText></w:r>',
                '<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r {w}><w:t>cổng tuyển sinh</w:t></w:r>',
                '<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>',
                '<w:r {w}><w:t xml:space="preserve"> trước ngày </w:t></w:r>',
                '<w:fldSimple {w} w:instr=" PAGE "><w:r><w:t>5</w:t></w:r></w:fldSimple>'):
        field._p.append(parse_xml(xml.format(w=nsdecls("w"))))
    deleted = document.add_paragraph("Giữ lại")
    deleted._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="A"><w:r><w:delText> chữ đã xóa</w:delText></w:r></w:del>'))
    boxed = document.add_paragraph("Trước khung.")
    boxed._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>Đường dây nóng: 0275 3822 000</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    article = _convert(document, tmp_path)
    assert article.title == "Thông báo tuyển sinh lớp 10 trực tuyến"  # the visible title, not the stale property
    assert article.body.strip().split("\n\n") == [
        "Đăng ký tại [cổng tuyển sinh](https://tuyensinh.bentre.edu.vn) trước ngày 5",
        "Giữ lại",
        "Trước khung.",
        "Đường dây nóng: 0275 3822 000",  # a text box's text is kept, after its paragraph
    ]


def test_markdown_characters_typed_in_word_stay_text(tmp_path):
    document = docx.Document()
    document.add_heading("Kết quả", level=2)
    for text in ("1. Đoạn bắt đầu bằng số nhưng không phải danh sách của Word",
                 "# không phải đề mục", "- không phải gạch đầu dòng", "Giá *đặc biệt* [chú thích] <b>đậm</b> a_b_c"):
        document.add_paragraph(text)
    article = _convert(document, tmp_path)
    assert article.title == "Kết quả"
    assert article.body.strip().split("\n\n") == [
        "1\\. Đoạn bắt đầu bằng số nhưng không phải danh sách của Word",
        "\\# không phải đề mục",
        "\\- không phải gạch đầu dòng",
        "Giá \\*đặc biệt\\* \\[chú thích\\] &lt;b>đậm&lt;/b> a\\_b\\_c",
    ]


@pytest.mark.parametrize(("line", "date"), [
    ("Bến Tre, ngày 15 tháng 3 năm 2025", "2025-03-15"),
    ("TP. Bến Tre, ngày 02 tháng 04 năm 2025.", "2025-04-02"),
    ("Ngày 9 tháng 12 năm 2024", "2024-12-09"),
    ("Bến Tre, ngày 31 tháng 2 năm 2025", ""),  # no such day: the officer is told, the import uses now
    ("Ngày 15 tháng 3 năm 2025, Sở tổ chức hội nghị.", None),  # a sentence of the body, not the stated date
    ("Hội nghị ngày 15 tháng 3 năm 2025", None),
])
def test_the_stated_date_is_a_line_of_its_own(line, date):
    from cchc.word_markdown import find_date

    found = find_date(line)
    assert (found.isoformat() if found else found) == date


def test_an_image_browsers_cannot_show_is_named_not_lost(tmp_path):
    """A BMP (or EMF, TIFF) picture: not written as a broken image; its place is marked and the
    officer told what to do."""
    import struct

    width, height = 4, 2
    row = b"\x00\x80\xff" * width + b"\x00" * ((4 - width * 3 % 4) % 4)
    pixels = row * height
    bmp = (b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54)
           + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0) + pixels)
    content = make_content(tmp_path)
    document = docx.Document()
    document.add_heading("Sơ đồ quy trình một cửa", level=1)
    document.add_paragraph("Quy trình gồm bốn bước.")
    picture(document, bmp, descr="Sơ đồ bốn bước", width_cm=4)
    document.save(tmp_path / "so-do.docx")
    result = do_import(content, tmp_path / "so-do.docx", "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong")
    assert result.returncode == 0, result.stderr
    path = tmp_path / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert ("<!-- Ảnh thứ 1 của tệp Word (định dạng BMP) chưa chuyển được: lưu thành JPG/PNG, "
            "chép vào images/so-do-quy-trinh-mot-cua/ rồi chèn ảnh ở đây -->") in text
    assert "ảnh thứ 1 trong tệp Word là định dạng BMP, trang web không hiển thị được" in result.stderr
    assert "images/so-do-quy-trinh-mot-cua/" in result.stderr and "images/_" not in result.stderr
    assert not list((path.parent / "images/so-do-quy-trinh-mot-cua").iterdir())  # nothing broken written
    assert run_cchc("--content", str(content), "check", build_date=NOW).returncode == 0
