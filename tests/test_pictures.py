"""Published pictures (cchc.pictures, cchc.picture_library): a phone photo becomes resized copies
without the phone's metadata, upright, in sRGB; bodies and listings show them through <picture>
with their size; broken and hostile files stop `cchc check` and the build at the article's line.

Every image here is made by the test with Pillow (tests/picture_fixtures.py).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from PIL import Image

import picture_fixtures as fx
from support import build_site, make_content, run_cchc, write_article

SITE_URL = "https://sgddt.bentre.gov.vn/cchc/"
FOLDER = "news/2025/03/images/anh-dien-thoai"
PUBLISHED = "tin-tuc/2025/03/images/anh-dien-thoai"
ARTICLE = "tin-tuc/2025/03/anh-dien-thoai/index.html"
NO_COVER = "tin-tuc/2025/03/khong-anh-dai-dien/index.html"
IMAGE_LINE = 7  # the front matter's image: line (support.article_text: title, slug, date, categories, unit, image)

BODY = """Đoạn mở đầu của bài.

![Ảnh chụp bằng điện thoại](images/anh-dien-thoai/dien-thoai.jpg "Ảnh: Văn phòng Sở")

Chữ trước ![Ảnh trong câu](images/anh-dien-thoai/in-an.jpg "Chỉ là tiêu đề") chữ sau.

<img src="images/anh-dien-thoai/bieu-do.png" alt="Biểu đồ kết quả" width="150">

![Ảnh xám 16 bit](images/anh-dien-thoai/xam-16-bit.png)

![Ảnh động](images/anh-dien-thoai/dong.gif)

![Màu theo hồ sơ màu](images/anh-dien-thoai/ho-so-mau.jpg)

[Tải ảnh gốc](images/anh-dien-thoai/dien-thoai.jpg)
"""


def make_images(content: Path) -> dict[str, Path]:
    folder = content / FOLDER
    folder.mkdir(parents=True)
    return {
        "phone": fx.phone_photo(folder / "dien-thoai.jpg"),
        "cmyk": fx.cmyk_jpeg(folder / "in-an.jpg"),
        "chart": fx.palette_png(folder / "bieu-do.png"),
        "grey16": fx.sixteen_bit_png(folder / "xam-16-bit.png"),
        "gif": fx.animated_gif(folder / "dong.gif"),
        "icc": fx.red_in_swapped_profile(folder / "ho-so-mau.jpg"),
    }


@pytest.fixture(scope="module")
def pictures_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pictures")
    content = make_content(tmp)
    images = make_images(content)
    write_article(content, "2025/03/anh-dien-thoai.md", slug="anh-dien-thoai", title='"Bài có ảnh điện thoại"',
                  image="images/anh-dien-thoai/dien-thoai.jpg",
                  image_alt='"Lãnh đạo Sở phát biểu tại hội nghị"', body=BODY)
    write_article(content, "2025/03/khong-anh-dai-dien.md", slug="khong-anh-dai-dien", date="2025-03-10 08:00",
                  title='"Bài không có ảnh đại diện"',
                  body="Mở đầu.\n\n![Ảnh thứ nhất](images/anh-dien-thoai/in-an.jpg)\n\n"
                       "![Ảnh thứ hai](images/anh-dien-thoai/bieu-do.png)\n")
    built = build_site(tmp / "work", content)
    assert built.ok, built.output
    return built, content, images


def published(built, image: Path) -> dict[str, Path]:
    """The published derivatives of one image, by their label (480, 1600, 160x90, 1200x630 …)."""
    from cchc.pictures import base_name

    pattern = re.compile(re.escape(base_name(image.name)) + r"-[0-9a-f]{10}-([0-9x]+(?:-rss)?)\.(webp|jpg|png)")
    found = {}
    for path in sorted((built.site / PUBLISHED).iterdir()):
        match = pattern.fullmatch(path.name)
        if match:
            found[f"{match.group(1)}.{match.group(2)}"] = path
    return found


def colour(path: Path, xy: tuple[float, float]) -> tuple[int, ...]:
    """The colour at a relative position (0..1) of a published picture, as RGBA."""
    with Image.open(path) as image:
        rgba = image.convert("RGBA")
        return rgba.getpixel((min(rgba.width - 1, int(xy[0] * rgba.width)), min(rgba.height - 1, int(xy[1] * rgba.height))))


def close(actual, expected, tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


# --- the phone photo ------------------------------------------------------------------------
def test_phone_photo_is_published_upright_resized_and_without_metadata(pictures_site):
    built, content, images = pictures_site
    source = images["phone"]
    assert fx.metadata_of(source)  # the original carries EXIF, GPS, XMP, ICC, a comment
    files = published(built, source)
    # stored 640×480 on its side (orientation 6): published 480 wide and 640 high
    assert set(files) == {"480.webp", "480.jpg", "160x90.webp", "160x90.jpg", "320x180.webp", "320x180.jpg",
                          "1200x630.jpg"}
    for name in ("480.webp", "480.jpg"):
        with Image.open(files[name]) as image:
            assert image.size == (480, 640)
        # the stored bottom-left corner (blue) is the viewer's top-left once turned right
        assert close(colour(files[name], (0.05, 0.05)), fx.BLUE + (255,))
        assert close(colour(files[name], (0.95, 0.05)), fx.RED + (255,))
        assert close(colour(files[name], (0.95, 0.95)), fx.GREEN + (255,))
    assert not (built.site / PUBLISHED / "dien-thoai.jpg").exists()  # the original is never published


def test_no_published_image_carries_any_metadata(pictures_site):
    """EXIF (with the GPS position and the phone model), XMP, IPTC, ICC profiles, comments: none
    in any file the site publishes from the images, whatever the original held."""
    built, _content, images = pictures_site
    files = sorted((built.site / PUBLISHED).iterdir())
    assert len(files) == 7 + 5 * 2  # the cover: widths, thumbnails, share; five body images: WebP + fallback
    assert {p.suffix for p in files} == {".webp", ".jpg", ".png"}
    assert {p.name: fx.metadata_of(p) for p in files if fx.metadata_of(p)} == {}


def test_share_image_thumbnails_and_widths(pictures_site):
    built, _content, images = pictures_site
    files = published(built, images["phone"])
    sizes = {name: Image.open(path).size for name, path in files.items()}
    assert sizes["1200x630.jpg"] == (1200, 630) and sizes["160x90.jpg"] == (160, 90) and sizes["320x180.webp"] == (320, 180)
    page = built.read(ARTICLE)
    share = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    assert share == SITE_URL + PUBLISHED + "/" + files["1200x630.jpg"].name
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert Image.open(files["1200x630.jpg"]).format == "JPEG"
    # a photo wider than 1600 is never upscaled, a small one keeps its own width
    chart = published(built, images["chart"])
    assert {n for n in chart if not n.startswith(("160x", "320x", "1200x"))} == {"300.webp", "300.png"}


def test_colours_cmyk_16_bit_palette_icc_and_animated_gif(pictures_site):
    built, _content, images = pictures_site
    cmyk = published(built, images["cmyk"])
    assert close(colour(cmyk["200.jpg"], (0.5, 0.5)), (255, 0, 0, 255)) and close(colour(cmyk["200.webp"], (0.5, 0.5)), (255, 0, 0, 255))
    assert Image.open(cmyk["200.jpg"]).mode == "RGB"
    grey = published(built, images["grey16"])
    assert close(colour(grey["120.png"], (0.5, 0.5)), (156, 156, 156, 255), 3)  # 40000/65535, not clipped to white
    chart = published(built, images["chart"])
    assert set(chart) >= {"300.png", "300.webp"}  # a graphic: PNG fallback, transparency kept
    assert colour(chart["300.png"], (0.02, 0.02))[3] == 0 and colour(chart["300.webp"], (0.02, 0.02))[3] == 0
    assert close(colour(chart["300.png"], (0.5, 0.5)), (200, 0, 0, 255), 10)
    gif = published(built, images["gif"])
    assert set(gif) == {"120.webp", "120.png"}  # the first frame, a still picture
    assert close(colour(gif["120.png"], (0.5, 0.5)), fx.RED + (255,), 10)
    with Image.open(gif["120.webp"]) as still:
        assert getattr(still, "n_frames", 1) == 1
    # pure red in a profile whose red is sRGB's blue: converted, not dropped
    icc = published(built, images["icc"])
    assert close(colour(icc["160.jpg"], (0.5, 0.5)), (0, 0, 255, 255), 50)
    assert close(colour(icc["160.webp"], (0.5, 0.5)), (0, 0, 255, 255), 50)
    assert "ảnh động “2025/03/images/anh-dien-thoai/dong.gif”: trang chỉ đăng khung hình đầu" in built.output


# --- markup ---------------------------------------------------------------------------------
def pictures_in(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def test_body_images_become_pictures_with_size_and_lazy_loading(pictures_site):
    built, _content, images = pictures_site
    html = built.read(ARTICLE)
    body = html[html.index('<div class="cchc-article__body">'):]
    found = pictures_in(body)
    assert len(found) == 6
    for picture in found:
        assert re.search(r'<source type="image/webp" srcset="[^"]+\.webp \d+w[^"]*" sizes="[^"]+">', picture)
        assert re.search(r' width="\d+" height="\d+"', picture) and 'decoding="async"' in picture
        # the article's own picture above the body is the page's first image: no body image loads first
        assert 'loading="lazy"' in picture
    phone = published(built, images["phone"])
    assert f'srcset="../images/anh-dien-thoai/{phone["480.webp"].name} 480w"' in found[0]
    assert f'src="../images/anh-dien-thoai/{phone["480.jpg"].name}"' in found[0]
    assert 'width="480" height="640"' in found[0]
    assert "dien-thoai.jpg" not in html  # the original's name: never a link target
    # the cover: the page's first picture, loaded at once
    cover = pictures_in(html[html.index('<figure class="cchc-figure">'):])[0]
    assert 'loading="lazy"' not in cover and 'alt="Lãnh đạo Sở phát biểu tại hội nghị"' in cover
    # staff's width kept, the height from the picture's shape (300×200)
    chart = next(p for p in found if 'alt="Biểu đồ kết quả"' in p)
    assert 'width="150" height="100"' in chart and 'sizes="(max-width: 150px) 100vw, 150px"' in chart
    # the link to the photo leads to its largest copy
    assert f'<a href="../images/anh-dien-thoai/{phone["480.jpg"].name}">Tải ảnh gốc</a>' in body


def test_first_picture_of_a_page_without_cover_loads_at_once(pictures_site):
    built, _content, _images = pictures_site
    html = built.read(NO_COVER)
    first, second = pictures_in(html)
    assert 'loading="lazy"' not in first and 'alt="Ảnh thứ nhất"' in first
    assert 'loading="lazy"' in second


def test_image_alone_with_a_title_is_a_figure_with_its_caption(pictures_site):
    built, _content, _images = pictures_site
    html = built.read(ARTICLE)
    figure = re.search(r'<figure class="cchc-figure"><picture>.*?</picture><figcaption>(.*?)</figcaption></figure>',
                       html[html.index('<div class="cchc-article__body">'):], re.S)
    assert figure and figure.group(1) == "Ảnh: Văn phòng Sở"
    assert 'alt="Ảnh chụp bằng điện thoại"' in figure.group(0) and 'title=' not in figure.group(0)
    # in running text the title stays a title: a caption under half a sentence would break it
    sentence = re.search(r"<p>Chữ trước <picture>.*?</picture> chữ sau\.</p>", html, re.S)
    assert sentence and 'title="Chỉ là tiêu đề"' in sentence.group(0)


def test_figure_markdown_cases():
    import markdown

    from cchc.markdown_figures import FiguresExtension

    md = markdown.Markdown(extensions=["attr_list", FiguresExtension()])
    convert = lambda text: md.reset().convert(text)  # noqa: E731
    assert convert('![Mô tả](a.jpg "Chú thích *không* in nghiêng & <b>")') == (
        '<figure class="cchc-figure"><img alt="Mô tả" src="a.jpg" /><figcaption>Chú thích *không* in nghiêng '
        '&amp; &lt;b&gt;</figcaption></figure>')
    assert convert('[![Mô tả](a.jpg "Chú thích")](https://example.vn/)') == (
        '<figure class="cchc-figure"><a href="https://example.vn/"><img alt="Mô tả" src="a.jpg" /></a>'
        '<figcaption>Chú thích</figcaption></figure>')
    assert convert("![Mô tả](a.jpg)") == '<p><img alt="Mô tả" src="a.jpg" /></p>'  # no title: no caption
    assert convert('![A](a.jpg "x") ![B](b.jpg "y")').startswith("<p>")  # two images: not a figure
    assert convert('> ![Mô tả](a.jpg "Chú thích")') == (
        '<blockquote>\n<figure class="cchc-figure"><img alt="Mô tả" src="a.jpg" /><figcaption>Chú thích'
        '</figcaption></figure>\n</blockquote>')


def test_listing_thumbnails_are_their_displayed_size(pictures_site):
    built, _content, images = pictures_site
    phone = published(built, images["phone"])
    listing = built.read("luu-tru/2025/03/index.html")
    thumb = re.search(r'<a class="cchc-card__thumb"[^>]*>(<picture>.*?</picture>)</a>', listing, re.S).group(1)
    assert f'{phone["160x90.webp"].name} 160w, ' in thumb and f'{phone["320x180.webp"].name} 320w' in thumb
    assert 'sizes="(max-width: 44.9375em) 96px, 160px"' in thumb and 'width="160" height="90"' in thumb
    assert 'loading="lazy"' not in thumb  # the first picture of the page


def test_home_lead_picture_loads_first_at_its_displayed_width(pictures_site):
    built, _content, images = pictures_site
    phone = published(built, images["phone"])
    home = built.read("index.html")
    lead = re.search(r'<a class="cchc-lead__picture"[^>]*>(<picture>.*?</picture>)</a>', home, re.S).group(1)
    assert f'{phone["480.webp"].name} 480w' in lead
    assert 'loading="lazy"' not in lead  # the home page's first, largest picture
    # beside the next articles on a wide screen (3fr of 3fr 2fr), the column's width on a phone
    assert 'sizes="(min-width: 1600px) 480px, (min-width: 1220px) 400px, (min-width: 960px) calc(60vw - 180px), ' \
           'calc(100vw - 32px)"' in lead


def test_template_sizes_match_the_body_sizes():
    from cchc.picture_markup import BODY_SIZES

    macros = (Path(__file__).resolve().parent.parent / "overrides/cchc/macros.html").read_text(encoding="utf-8")
    assert f'{{%- set sizes = "{BODY_SIZES}" -%}}' in macros


def test_second_build_does_no_image_work_and_gives_the_same_site(pictures_site):
    built, content, _images = pictures_site
    first = re.search(r"Ảnh: (\d+) ảnh xử lý mới \([\d.]+ giây\), (\d+) ảnh dùng lại", built.output)
    assert first and first.groups() == ("6", "0"), built.output
    again = build_site(built.config.parent, content)
    assert again.ok, again.output
    second = re.search(r"Ảnh: (\d+) ảnh xử lý mới \(([\d.]+) giây\), (\d+) ảnh dùng lại", again.output)
    assert second.group(1) == "0" and second.group(3) == "6" and second.group(2) == "0.0"
    assert "0 bài chuyển Markdown" in again.output

    def tree(root: Path) -> dict:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    pictures = {k: v for k, v in tree(again.site).items() if k.startswith(PUBLISHED)}
    assert pictures and all(not (again.site / k).is_symlink() for k in pictures)
    assert (again.site / next(iter(pictures))).stat().st_nlink == 1  # copies, never hard links into the cache


def test_derivative_names_are_readable_and_distinct(tmp_path):
    """Two articles' `anh1.jpg`, and a replaced photo, never share a published name."""
    from cchc.pictures import PictureSettings, base_name, name_digest

    assert base_name("Ảnh Hội nghị (1).JPG") == "anh-hoi-nghi-1" and base_name("___.png") == "anh"
    settings = PictureSettings()
    assert name_digest("a" * 64, settings) != name_digest("b" * 64, settings)
    assert name_digest("a" * 64, settings) != name_digest("a" * 64, PictureSettings(widths=(480, 960)))
    content = make_content(tmp_path)
    for slug, colour_ in (("bai-mot", fx.RED), ("bai-hai", fx.BLUE)):
        folder = content / "news/2025/03/images" / slug
        folder.mkdir(parents=True)
        Image.new("RGB", (64, 48), colour_).save(folder / "anh1.jpg")
        write_article(content, f"2025/03/{slug}.md", slug=slug, title=f'"Bài {slug}"',
                      body=f"![Ảnh {slug}](images/{slug}/anh1.jpg)\n")
    built = build_site(tmp_path / "work", content)
    assert built.ok, built.output
    one = sorted(p.name for p in (built.site / "tin-tuc/2025/03/images/bai-mot").iterdir())
    two = sorted(p.name for p in (built.site / "tin-tuc/2025/03/images/bai-hai").iterdir())
    assert len(one) == len(two) == 2 and not set(one) & set(two)
    assert all(re.fullmatch(r"anh1-[0-9a-f]{10}-64\.(webp|jpg)", name) for name in one + two)


# --- broken and hostile images ------------------------------------------------------------------
def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` (a decompression bomb's first bytes)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


HOSTILE = {
    "van-ban.jpg": (b"Day la mot tep van ban, khong phai anh.\n", "tệp có đuôi ảnh .jpg nhưng không phải ảnh (nội dung là văn bản)"),
    "rong.png": (b"", "tệp ảnh rỗng (0 byte)"),
    "bom.png": (png_header(20000, 20000), "ảnh quá lớn: 400 triệu điểm ảnh (tối đa 50 triệu)"),
    "iphone.jpg": (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64, "thật ra là ảnh HEIC của iPhone"),
    "ve.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
               "ảnh SVG không được dùng làm ảnh bài viết: SVG có thể chứa mã chạy được (script)"),
}


def test_broken_and_hostile_images_are_errors_at_the_line_that_uses_them(tmp_path):
    content = make_content(tmp_path)
    folder = content / "news/2025/03/images/bai-anh-hong"
    folder.mkdir(parents=True)
    for name, (data, _message) in HOSTILE.items():
        (folder / name).write_bytes(data)
    phone = fx.phone_photo(tmp_path / "nguyen.jpg").read_bytes()
    (folder / "cat-cut.jpg").write_bytes(phone[: len(phone) // 2])
    names = [*HOSTILE, "cat-cut.jpg"]
    body = "Mở đầu.\n\n" + "\n\n".join(f"![Ảnh {i}](images/bai-anh-hong/{name})" for i, name in enumerate(names)) + "\n"
    write_article(content, "2025/03/bai-anh-hong.md", slug="bai-anh-hong", title='"Bài có ảnh hỏng"',
                  image="images/bai-anh-hong/ve.svg", image_alt='"Hình vẽ"', body=body)
    check = run_cchc("--content", str(content), "check")
    out = check.stdout + check.stderr
    assert check.returncode != 0 and "Traceback" not in out
    article = "content/news/2025/03/bai-anh-hong.md"
    body_line = 11  # support.article_text: --- and 7 front-matter lines (with image, image_alt), ---, blank
    expected = {name: message for name, (_data, message) in HOSTILE.items()}
    expected["cat-cut.jpg"] = "tệp ảnh JPEG không trọn vẹn (bị cắt cụt, thiếu phần cuối)"
    for i, name in enumerate(names):
        line = body_line + 2 + 2 * i
        assert re.search(rf"{re.escape(article)}:{line}: lỗi: ảnh “2025/03/images/bai-anh-hong/{re.escape(name)}”: "
                         rf"[^\n]*{re.escape(expected[name])}", out), (name, out)
    assert re.search(rf"{re.escape(article)}:{IMAGE_LINE}: lỗi: ảnh “2025/03/images/bai-anh-hong/ve\.svg”: ảnh SVG", out)
    assert "→ Cách sửa: chép lại ảnh gốc" in out and "xuất (Export) thành PNG" in out
    articles = len(list((content / "news").rglob("*.md")))  # the article with broken images counted once
    assert f"Đã kiểm tra {articles} bài viết," in out, out[-300:]
    built = build_site(tmp_path / "work", content)
    assert not built.ok and "Traceback" not in built.output
    assert f"{article}:{body_line + 2}: lỗi: ảnh “2025/03/images/bai-anh-hong/van-ban.jpg”" in built.output
    assert not (tmp_path / "work" / "site").exists()


def test_an_image_broken_past_its_header_stops_the_build_at_its_line(tmp_path):
    """A PNG whose header and end are fine but whose pixel data is garbage passes the quick check
    (`cchc check` reads no pixels); decoding it fails in the build, which names the article line
    that uses it instead of printing a traceback."""
    import struct
    import zlib

    content = make_content(tmp_path)
    folder = content / "news/2025/03/images/bai"
    folder.mkdir(parents=True)
    good = png_header(64, 48)
    idat = good.index(b"IDAT") - 4
    garbage = b"\x78\x9c" + bytes(range(200))  # a zlib header, then nothing zlib can read
    chunk = struct.pack(">I", len(garbage)) + b"IDAT" + garbage + struct.pack(">I", zlib.crc32(b"IDAT" + garbage))
    (folder / "hong.png").write_bytes(good[:idat] + chunk + good[good.index(b"IEND") - 4:])
    write_article(content, "2025/03/bai.md", slug="bai", title='"Bài"', body="Mở đầu.\n\n![Ảnh](images/bai/hong.png)\n")
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 0, check.stdout + check.stderr
    built = build_site(tmp_path / "work", content)
    assert not built.ok and "Traceback" not in built.output
    assert ("content/news/2025/03/bai.md:11: lỗi: ảnh “2025/03/images/bai/hong.png”: tệp ảnh bị hỏng, không giải "
            "mã được") in built.output, built.output
    assert "chưa xuất bản gì" in built.output


# --- caches and settings ----------------------------------------------------------------------
def test_cached_body_is_converted_again_when_its_picture_changes(tmp_path):
    """A body kept in the cache shows a <picture> of the image as it was: a replaced image (new
    digest) or other sizes must make it again (BodyStore._still_valid)."""
    from cchc.buildcache import BuildCache
    from cchc.convert import BodyStore, Job, MarkdownSetup

    def data(token: str, width: int) -> dict:
        entry = {"url": f"tin-tuc/2025/03/images/a-{token}-{width}.webp", "w": width, "h": width // 2}
        return {"token": token, "width": width, "height": width // 2, "webp": [entry],
                "fallback": [{**entry, "url": entry["url"][:-4] + "jpg"}], "fallback_type": "image/jpeg",
                "src": entry["url"][:-4] + "jpg"}

    job = Job(url="tin-tuc/2025/03/a/", src_uri="tin-tuc/2025/03/a.md", markdown="![Ảnh](images/a.jpg)\n")

    def convert(token: str, width: int) -> tuple[str, dict]:
        picture = data(token, width)
        setup = MarkdownSetup(extensions=("attr_list",), configs={}, legal=None, iframe_hosts=(),
                              targets={"tin-tuc/2025/03/images/a.jpg": picture["src"]},
                              pictures={"tin-tuc/2025/03/images/a.jpg": picture})
        store = BodyStore(setup, BuildCache(tmp_path / "cache", warn=lambda m: None))
        store.convert_all([job], workers=1)
        return store.html(job.url), store.stats

    html, stats = convert("aaaaaaaaaa", 960)
    assert stats["converted"] == 1 and "a-aaaaaaaaaa-960.webp 960w" in html and 'width="960" height="480"' in html
    assert convert("aaaaaaaaaa", 960)[1]["hits"] == 1
    html, stats = convert("bbbbbbbbbb", 960)  # the image was replaced
    assert stats["converted"] == 1 and "a-bbbbbbbbbb-960.webp" in html and "aaaaaaaaaa" not in html


def test_image_widths_setting(tmp_path):
    from cchc.settings import SettingsError, SiteSettings

    settings = SiteSettings.from_mapping({"image_widths": [1200, 400, 800]}, base_dir=tmp_path, site_url=None)
    assert settings.image_widths == (400, 800, 1200)
    for wrong in ([], [100], ["960"], [960, True], 960, list(range(400, 1200, 100))):
        with pytest.raises(SettingsError, match=r"extra\.cchc\.image_widths phải là danh sách 1–6 số nguyên từ 160 đến 4000"):
            SiteSettings.from_mapping({"image_widths": wrong}, base_dir=tmp_path, site_url=None)


# --- in the browser ---------------------------------------------------------------------------
def test_phone_photo_in_chromium_at_phone_and_desktop_size(tmp_path):
    """An article whose image is a 4000×3000 phone photo, as a reader sees it: the browser takes
    the WebP copy the layout needs (never the original), upright, with room kept for it before
    it arrives.  Screenshots: test-artifacts/picture-article-{phone,desktop}.png."""
    from browser import chromium, screenshot, serve_directory

    content = make_content(tmp_path)
    folder = content / "news/2025/03/images/hoi-nghi-dien-thoai"
    fx.phone_photo(folder / "hoi-nghi.jpg", size=(4000, 3000))
    fx.phone_photo(folder / "tham-du.jpg", size=(3000, 2000), orientation=1)
    write_article(content, "2025/03/hoi-nghi-dien-thoai.md", slug="hoi-nghi-dien-thoai",
                  title='"Hội nghị triển khai công tác cải cách hành chính năm 2025"',
                  image="images/hoi-nghi-dien-thoai/hoi-nghi.jpg", image_alt='"Quang cảnh hội nghị"',
                  body="Sáng 17/3, Sở Giáo dục và Đào tạo tổ chức hội nghị triển khai công tác cải cách hành chính.\n\n"
                       '![Đại biểu tham dự hội nghị](images/hoi-nghi-dien-thoai/tham-du.jpg "Ảnh: Văn phòng Sở")\n\n'
                       "Hội nghị thống nhất các nhiệm vụ trọng tâm của năm.\n")
    built = build_site(tmp_path / "work", content)
    assert built.ok, built.output
    url = "tin-tuc/2025/03/hoi-nghi-dien-thoai/"
    with serve_directory(built.site) as base, chromium() as browser:
        for name, viewport, chosen in (("phone", {"width": 390, "height": 844}, 480),
                                       ("desktop", {"width": 1366, "height": 768}, 960)):
            page = browser.new_page(viewport=viewport)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(base + url, wait_until="networkidle")
            cover = page.locator(".cchc-figure img").first
            box_before = cover.bounding_box()
            state = cover.evaluate("img => ({src: img.currentSrc, w: img.naturalWidth, h: img.naturalHeight, "
                                   "complete: img.complete, attrW: img.width, attrH: img.height})")
            assert state["complete"] and re.search(rf"/hoi-nghi-[0-9a-f]{{10}}-{chosen}\.webp$", state["src"]), state
            assert abs(state["h"] / state["w"] - 4 / 3) < 0.01  # upright: taller than wide
            assert box_before["height"] > box_before["width"] > 300
            assert not any(u.endswith(("/hoi-nghi.jpg", "/tham-du.jpg")) for u in requested)  # never the originals
            caption = page.locator(".cchc-article__body figure figcaption")
            assert caption.inner_text() == "Ảnh: Văn phòng Sở"
            page.locator(".cchc-article__body figure img").scroll_into_view_if_needed()
            page.wait_for_load_state("networkidle")
            body_image = page.locator(".cchc-article__body figure img").evaluate(
                "img => ({src: img.currentSrc, complete: img.complete, w: img.naturalWidth})")
            assert body_image["complete"] and body_image["src"].endswith(".webp"), body_image
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(200)
            screenshot(page, f"picture-article-{name}")
            page.close()
