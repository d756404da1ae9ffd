"""Deterministic synthetic corpus of Vietnamese CCHC news articles for `make bench`.

One corpus, two shapes:

* `write_cchc_content(articles, target)`: a content folder for this project (plans/, units.yml,
  reporting.yml, news/yyyy/mm/slug.md, news/images/*.png); `cchc check --content` passes.
* `write_material_blog(articles, target)`: the same articles as Material for MkDocs blog posts
  (docs/blog/posts/yyyy/mm/slug.md with `<!-- more -->`, .authors.yml for the units).
* `write_material_plain(articles, target)`: the same pages as plain Material pages, out of the
  navigation and without any listing (the floor).

Article i depends only on (seed, i) and the titles before it, so the corpus of 300 is the first
300 articles of the corpus of 3000.  All text is NFC.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import struct
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT / "hooks"))

from cchc.text import slugify  # noqa: E402  (the project's own slug rules)

PLAN_YEARS = (2022, 2023, 2024, 2025)
FIRST_DATE = dt.datetime(2022, 1, 3, 7, 0)
LAST_DATE = dt.datetime(2025, 12, 10, 17, 0)
# Every article is published at this "now" (the build date used by the benchmark).
BUILD_DATE = "2026-01-15 09:00"
IMAGE_COUNT = 6


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- vocabulary ------------------------------------------------------------------------------
SUBJECTS = [
    "Sở Giáo dục và Đào tạo", "Lãnh đạo Sở", "Ban Chỉ đạo cải cách hành chính của Sở",
    "Bộ phận Tiếp nhận và Trả kết quả", "Văn phòng Sở", "Thanh tra Sở",
    "Các phòng chuyên môn", "Cán bộ, công chức, viên chức toàn ngành",
    "Các đơn vị trực thuộc", "Phòng GD&ĐT các huyện, thành phố", "Tổ công tác cải cách hành chính",
    "Đoàn kiểm tra của Sở", "Hội đồng thẩm định sáng kiến", "Ban biên tập trang thông tin điện tử",
]
VERBS = [
    "đã triển khai", "tiếp tục đẩy mạnh", "tổ chức quán triệt", "tăng cường", "rà soát, đánh giá",
    "chỉ đạo thực hiện", "hướng dẫn thực hiện", "công khai đầy đủ", "kiểm tra việc thực hiện",
    "tổng kết, đánh giá", "xây dựng kế hoạch thực hiện", "đôn đốc các đơn vị thực hiện",
    "tập trung tháo gỡ khó khăn trong", "chủ động phối hợp thực hiện", "nghiêm túc thực hiện",
    "tổ chức tuyên truyền về", "đề xuất đơn giản hóa", "cập nhật kịp thời",
]
OBJECTS = [
    "Kế hoạch cải cách hành chính năm {year}", "cơ chế một cửa, một cửa liên thông",
    "việc tiếp nhận và trả kết quả hồ sơ qua dịch vụ bưu chính công ích",
    "các thủ tục hành chính thuộc thẩm quyền giải quyết của Sở",
    "dịch vụ công trực tuyến toàn trình", "Chỉ số hài lòng của người dân, tổ chức (SIPAS)",
    "Chỉ số cải cách hành chính (PAR Index)", "hệ thống quản lý văn bản và điều hành",
    "cơ sở dữ liệu ngành giáo dục", "việc sử dụng chữ ký số chuyên dùng",
    "quy chế văn hóa công sở", "quy tắc ứng xử của công chức, viên chức",
    "công tác tuyển sinh đầu cấp", "việc cấp văn bằng, chứng chỉ",
    "thủ tục công nhận trường đạt chuẩn quốc gia", "việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "thanh toán trực tuyến phí, lệ phí", "Cổng Dịch vụ công quốc gia",
    "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh", "việc đánh giá, xếp loại công chức",
    "vị trí việc làm trong các đơn vị sự nghiệp công lập", "cơ chế tự chủ của đơn vị sự nghiệp",
    "việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân",
    "việc thực hiện Nghị quyết số 76/NQ-CP của Chính phủ", "Chỉ thị số 23/CT-TTg của Thủ tướng Chính phủ",
    "việc chấn chỉnh kỷ luật, kỷ cương hành chính theo Chỉ thị số 26/CT-TTg",
    "học bạ số", "hồ sơ điện tử của học sinh", "sổ điểm điện tử",
]
TAILS = [
    "theo đúng quy định", "trên địa bàn tỉnh", "nhằm nâng cao chất lượng phục vụ người dân",
    "góp phần hoàn thành các chỉ tiêu của Kế hoạch", "trong quý {quarter} năm {year}",
    "theo hướng công khai, minh bạch", "bảo đảm đúng tiến độ đề ra",
    "tạo thuận lợi tối đa cho người dân và tổ chức", "với sự tham gia của {count} cán bộ, công chức",
    "tại {unit}", "trong toàn ngành giáo dục", "theo chỉ đạo của Ủy ban nhân dân tỉnh",
    "gắn với chuyển đổi số trong giáo dục", "và báo cáo kết quả về Sở trước ngày {day}/{month}/{year}",
]
OPENERS = [
    "Thực hiện {doc}, ", "Nhằm triển khai có hiệu quả {doc}, ", "Trong {period}, ", "Ngày {day}/{month}/{year}, ",
    "Theo báo cáo của {unit}, ", "Qua kiểm tra thực tế, ", "Bên cạnh đó, ", "Đồng thời, ", "Ngoài ra, ",
    "Tính đến hết tháng {month}/{year}, ", "",
]
DOCS = [
    "Kế hoạch số 9000/KH-UBND của Ủy ban nhân dân tỉnh", "Nghị quyết số 76/NQ-CP của Chính phủ",
    "Chỉ thị số 23/CT-TTg của Thủ tướng Chính phủ", "Nghị định số 06/2023/NĐ-CP của Chính phủ",
    "Nghị định số 73/2023/NĐ-CP của Chính phủ", "Kế hoạch cải cách hành chính năm {year} của Sở",
    "Chỉ thị số 02/CT-UBND của Ủy ban nhân dân tỉnh",
]
PERIODS = ["quý I", "quý II", "quý III", "6 tháng đầu năm", "năm học {year}-{next_year}", "tháng {month}",
           "đợt cao điểm tuyển sinh", "kỳ báo cáo vừa qua"]
STAT_SENTENCES = [
    "Trong kỳ, {unit} đã tiếp nhận {n} hồ sơ, trong đó {m} hồ sơ được giải quyết trước và đúng hạn, đạt tỷ lệ {pct}%.",
    "Tỷ lệ hồ sơ nộp trực tuyến đạt {pct}%, tăng {delta} điểm phần trăm so với cùng kỳ năm trước.",
    "Có {n} cán bộ, công chức, viên chức tham gia lớp bồi dưỡng; {m} người đạt kết quả khá, giỏi.",
    "Kết quả khảo sát {n} phiếu cho thấy {pct}% người dân hài lòng với thái độ phục vụ của công chức.",
    "Đến nay, {m}/{n} đơn vị đã số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, đạt {pct}%.",
    "Sở đã rà soát {n} thủ tục hành chính, đề xuất đơn giản hóa {m} thủ tục, cắt giảm {delta}% thời gian giải quyết.",
]
QUOTES = [
    "Phát biểu tại hội nghị, Lãnh đạo Sở nhấn mạnh cải cách hành chính là nhiệm vụ trọng tâm, thường xuyên, cần được cụ thể hóa bằng những việc làm thiết thực.",
    "Đại diện {unit} cho biết, việc ứng dụng công nghệ thông tin đã giúp rút ngắn đáng kể thời gian giải quyết hồ sơ cho người dân.",
    "Nhiều ý kiến đề nghị tiếp tục đơn giản hóa thành phần hồ sơ, tăng cường hướng dẫn trực tuyến để phụ huynh, học sinh dễ thực hiện.",
    "Người dân đến giao dịch đánh giá cao tinh thần, thái độ phục vụ tận tình, chu đáo của công chức tại Bộ phận Một cửa.",
]
HEADINGS = [
    "Đánh giá kết quả thực hiện", "Định hướng thời gian tới", "Đẩy mạnh chuyển đổi số", "Kết quả nổi bật",
    "Những tồn tại, hạn chế", "Nhiệm vụ, giải pháp trọng tâm", "Đổi mới phương thức phục vụ",
    "Đề xuất, kiến nghị", "Triển khai thực hiện", "Ý kiến của người dân", "Đảm bảo kỷ luật, kỷ cương",
    "Nội dung chính", "Một số kinh nghiệm", "Phân công nhiệm vụ",
]
LIST_ITEMS = [
    "Tiếp tục rà soát, chuẩn hóa danh mục thủ tục hành chính thuộc thẩm quyền của Sở",
    "Công khai kết quả giải quyết hồ sơ trên Cổng thông tin điện tử của Sở",
    "Nâng cao chất lượng cung cấp dịch vụ công trực tuyến toàn trình",
    "Tăng cường kiểm tra công vụ, chấn chỉnh kịp thời các trường hợp vi phạm",
    "Đẩy mạnh thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính",
    "Đôn đốc các đơn vị cập nhật dữ liệu lên cơ sở dữ liệu ngành đúng thời hạn",
    "Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức",
    "Tổ chức đối thoại với phụ huynh, học sinh về những vướng mắc trong thủ tục hành chính",
    "Biểu dương kịp thời các tập thể, cá nhân có sáng kiến, giải pháp hay",
    "Thực hiện nghiêm quy định về thời giờ làm việc, văn hóa công sở",
    "Duy trì hòm thư góp ý và đường dây nóng tiếp nhận phản ánh, kiến nghị",
    "Phối hợp với Bưu điện tỉnh trong tiếp nhận, trả kết quả tại nhà",
]
TITLE_ACTIONS = [
    "triển khai", "sơ kết", "tổng kết", "tập huấn", "đẩy mạnh", "kiểm tra", "đánh giá", "tuyên truyền",
    "hội nghị về", "đối thoại về", "quán triệt", "công bố",
]
TITLE_TOPICS = [
    "cải cách hành chính", "dịch vụ công trực tuyến", "cơ chế một cửa", "chuyển đổi số", "chữ ký số",
    "văn hóa công sở", "Chỉ số SIPAS", "Chỉ số PAR Index", "số hóa hồ sơ", "học bạ số",
    "thủ tục tuyển sinh", "cấp văn bằng, chứng chỉ", "kỷ luật, kỷ cương hành chính",
    "cơ sở dữ liệu ngành", "sáng kiến cải cách hành chính", "tiếp nhận phản ánh, kiến nghị",
]
TAGS = [
    "một cửa", "dịch vụ công trực tuyến", "chuyển đổi số", "chữ ký số", "SIPAS", "PAR Index",
    "văn hóa công sở", "tuyển sinh", "học bạ số", "số hóa", "thanh toán trực tuyến", "bưu chính công ích",
    "kiểm tra công vụ", "sáng kiến", "đối thoại", "tập huấn", "Đề án 06", "văn bằng chứng chỉ",
    "phản ánh kiến nghị", "tự chủ", "vị trí việc làm", "Ban Chỉ đạo", "kỷ cương", "năm học mới",
]
AUTHORS = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Dũng", "Phạm Thị Hạnh", "Võ Minh Đức", "Huỳnh Thị Mai", ""]
LINKS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"),
    ("Cổng Dịch vụ công của tỉnh", "https://dichvucong.bentre.gov.vn/"),
]


# --- data model ---------------------------------------------------------------------------------
@dataclass
class CorpusArticle:
    index: int
    title: str
    slug: str
    date: dt.datetime  # naive, +07:00
    categories: list[str]
    unit: str
    forms: list[str]
    tags: list[str]
    summary: str  # "" → first paragraph
    author: str
    image: str  # "" or image file name in news/images
    first_paragraph: str
    body_rest: str  # everything after the first paragraph
    words: int = 0
    marker: str = ""  # a unique record code in the last paragraph (search check)

    @property
    def folder(self) -> str:
        return f"{self.date.year:04d}/{self.date.month:02d}"

    @property
    def body(self) -> str:
        return self.first_paragraph + "\n\n" + self.body_rest


@dataclass
class Catalog:
    categories: dict[str, str]  # id → name
    units: dict[str, str]  # id → name
    forms: list[str]
    extra: dict = field(default_factory=dict)


def load_catalog(content: Path = SAMPLE_CONTENT) -> Catalog:
    plan = yaml.safe_load((content / "plans" / "2025.yml").read_text(encoding="utf-8"))
    units = yaml.safe_load((content / "units.yml").read_text(encoding="utf-8"))
    return Catalog(
        categories={c["id"]: nfc(c["name"]) for c in plan["categories"]},
        # only units that exist over the corpus's whole date range (units.yml `from`/`until`: an
        # article after a unit's last day is an error since the province merger of 1/7/2025)
        units={u["id"]: nfc(u["name"]) for u in units["units"] if not u.get("until") and not u.get("from")},
        forms=[f["id"] for f in plan["forms"]],
    )


# --- text composition ---------------------------------------------------------------------------
class Writer:
    def __init__(self, rng: random.Random, year: int, unit_name: str, units: list[str]):
        self.rng = rng
        self.year = year
        self.unit_name = unit_name
        self.units = units

    def fill(self, template: str) -> str:
        r = self.rng
        n = r.randint(40, 2400)
        return template.format(
            year=self.year, next_year=self.year + 1, quarter=r.choice(["I", "II", "III", "IV"]),
            count=r.randint(20, 450), unit=r.choice([self.unit_name, *r.sample(self.units, 2)]),
            day=r.randint(1, 28), month=r.randint(1, 12), doc=r.choice(DOCS).format(year=self.year),
            period=r.choice(PERIODS).format(year=self.year, next_year=self.year + 1, month=r.randint(1, 12)),
            n=n, m=r.randint(n // 2, n), pct=f"{r.uniform(80, 100):.1f}".replace(".", ","),
            delta=r.randint(2, 30),
        )

    def sentence(self) -> str:
        r = self.rng
        if r.random() < 0.15:
            return self.fill(r.choice(STAT_SENTENCES))
        if r.random() < 0.06:
            return self.fill(r.choice(QUOTES))
        opener = self.fill(r.choice(OPENERS))
        subject = r.choice(SUBJECTS)
        if opener:
            subject = subject[0].lower() + subject[1:] if subject.startswith(("Các", "Cán", "Những")) else subject
        clause = f"{subject} {r.choice(VERBS)} {self.fill(r.choice(OBJECTS))}"
        if r.random() < 0.7:
            clause += " " + self.fill(r.choice(TAILS))
        if r.random() < 0.25:
            clause += f", đồng thời {r.choice(VERBS)} {self.fill(r.choice(OBJECTS))}"
        text = opener + clause + "."
        return text[0].upper() + text[1:]

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))


def _count_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def make_article(index: int, seed: int, catalog: Catalog, used_titles: set[str]) -> CorpusArticle:
    rng = random.Random(f"{seed}:{index}")
    span = (LAST_DATE - FIRST_DATE).total_seconds()
    date = FIRST_DATE + dt.timedelta(seconds=rng.uniform(0, span))
    date = date.replace(hour=rng.randint(7, 17), minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0)
    unit_ids = list(catalog.units)
    unit = rng.choice(unit_ids)
    unit_name = catalog.units[unit]
    categories = rng.sample(list(catalog.categories), rng.choice([1, 1, 1, 2]))
    writer = Writer(rng, date.year, unit_name, list(catalog.units.values()))

    topic = rng.choice(TITLE_TOPICS)
    action = rng.choice(TITLE_ACTIONS)
    base_title = rng.choice([
        f"{unit_name} {action} {topic}",
        f"{action.capitalize()} {topic} năm {date.year}",
        f"{action.capitalize()} {topic} tại {unit_name}",
        f"Sở Giáo dục và Đào tạo {action} {topic} {rng.choice(PERIODS).format(year=date.year, next_year=date.year + 1, month=date.month)}",
    ])
    title = nfc(base_title[0].upper() + base_title[1:])
    if title in used_titles:
        title = nfc(f"{title} (tháng {date.month}/{date.year})")
    k = 2
    while title in used_titles:
        title = nfc(f"{base_title[0].upper() + base_title[1:]} – đợt {k} (tháng {date.month}/{date.year})")
        k += 1
    used_titles.add(title)
    slug = (slugify(title, max_length=70) or "bai-viet").strip("-") + f"-{index:05d}"

    target_words = rng.randint(300, 1200)
    first = writer.paragraph(2, 3)
    blocks: list[str] = []
    words = _count_words(first)
    headings = rng.sample(HEADINGS, len(HEADINGS))
    image = ""
    table_done = image_done = link_done = False
    while words < target_words - 40:
        if rng.random() < 0.45 and headings:
            blocks.append("## " + headings.pop())
        roll = rng.random()
        if roll < 0.12:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 6))
            if rng.random() < 0.5:
                block = "\n".join(f"- {item}." for item in items)
            else:
                block = "\n".join(f"{i}. {item}." for i, item in enumerate(items, 1))
            blocks.append(writer.paragraph(1, 1)[:-1] + ", cụ thể như sau:")
        elif roll < 0.16 and not table_done and rng.random() < 0.5:
            table_done = True
            rows = ["| Đơn vị | Hồ sơ tiếp nhận | Đúng hạn | Tỷ lệ |", "|---|---:|---:|---:|"]
            for name in rng.sample(list(catalog.units.values()), rng.randint(3, 7)):
                n = rng.randint(20, 900)
                m = rng.randint(n * 8 // 10, n)
                rows.append(f"| {name} | {n} | {m} | {100 * m / n:.1f}% |".replace(".", ","))
            blocks.append("Kết quả giải quyết hồ sơ của một số đơn vị:")
            block = "\n".join(rows)
        elif roll < 0.19 and not image_done and rng.random() < 0.6:
            image_done = True
            number = rng.randint(1, IMAGE_COUNT)
            image = f"anh-{number}.png"
            alt = nfc(f"Quang cảnh {rng.choice(['hội nghị', 'buổi tập huấn', 'Bộ phận Một cửa', 'buổi đối thoại'])}")
            block = f"![{alt}](../../images/{image})"
        elif roll < 0.22 and not link_done:
            link_done = True
            label, url = rng.choice(LINKS)
            block = f"Người dân có thể tra cứu, nộp hồ sơ trực tuyến tại [{label}]({url})."
        elif roll < 0.26:
            block = "> " + writer.fill(rng.choice(QUOTES))
        else:
            block = writer.paragraph()
        blocks.append(block)
        words += _count_words(block)
    marker = f"{index % 1000:03d}.{rng.randint(10, 99)}.{rng.randint(10, 99)}.H05-{date:%y%m%d}-{index:04d}"
    blocks.append(nfc(f"Mọi thắc mắc liên hệ Bộ phận Tiếp nhận và Trả kết quả, mã hồ sơ tham chiếu {marker}."))
    body_rest = "\n\n".join(blocks)
    summary = ""
    if rng.random() < 0.3:
        summary = writer.sentence()
    tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 2, 3]))
    forms = ["website"] if rng.random() < 0.8 else rng.sample(catalog.forms, rng.randint(1, 2))
    return CorpusArticle(
        index=index, title=title, slug=slug, date=date, categories=categories, unit=unit, forms=forms,
        tags=[nfc(t) for t in tags], summary=nfc(summary), author=rng.choice(AUTHORS),
        image=image if image and rng.random() < 0.7 else "", first_paragraph=nfc(first),
        body_rest=nfc(body_rest), words=words + _count_words(first), marker=marker,
    )


def generate(n: int, seed: int = 20251125, catalog: Catalog | None = None) -> list[CorpusArticle]:
    catalog = catalog or load_catalog()
    used: set[str] = set()
    return [make_article(i, seed, catalog, used) for i in range(n)]


# --- images -------------------------------------------------------------------------------------
def png_bytes(width: int, height: int, colour: tuple[int, int, int], seed: int) -> bytes:
    """A small RGB PNG: a flat colour with a darker band (no image library needed)."""
    rng = random.Random(seed)
    band = rng.randint(0, height - 8)
    rows = []
    for y in range(height):
        shade = 0.7 if band <= y < band + 8 else 1.0
        pixel = bytes(int(c * shade) for c in colour)
        rows.append(b"\x00" + pixel * width)
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


COLOURS = [(23, 92, 160), (200, 60, 40), (40, 140, 80), (220, 170, 30), (110, 60, 150), (60, 60, 60)]


def write_images(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, IMAGE_COUNT + 1):
        (folder / f"anh-{number}.png").write_bytes(png_bytes(320, 200, COLOURS[number - 1], number))


# --- writers ------------------------------------------------------------------------------------
def _q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def cchc_markdown(article: CorpusArticle) -> str:
    lines = [
        "---",
        f"title: {_q(article.title)}",
        f"slug: {article.slug}",
        f"date: {article.date:%Y-%m-%d %H:%M}",
        f"categories: [{', '.join(article.categories)}]",
        f"unit: {article.unit}",
        f"forms: [{', '.join(article.forms)}]",
        f"tags: {_flow(article.tags)}",
    ]
    if article.summary:
        lines.append(f"summary: {_q(article.summary)}")
    if article.image:
        lines.append(f"image: ../../images/{article.image}")
        lines.append(f"image_alt: {_q('Ảnh minh họa: ' + article.title)}")
    if article.author:
        lines.append(f"author: {_q(article.author)}")
    lines += ["---", "", article.body, ""]
    return nfc("\n".join(lines))


def write_cchc_content(articles: list[CorpusArticle], target: Path, source: Path = SAMPLE_CONTENT) -> Path:
    """A content folder for this project: the sample's plans/units plus the corpus."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "plans").mkdir(exist_ok=True)
    for path in sorted(source.glob("*.yml")):  # units, reporting windows, documents, …
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    plan = (source / "plans" / "2025.yml").read_text(encoding="utf-8")
    for year in PLAN_YEARS:
        text = plan if year == 2025 else re.sub(r"(?m)^year: 2025$", f"year: {year}", plan).replace(
            "năm 2025", f"năm {year}")
        (target / "plans" / f"{year}.yml").write_text(text, encoding="utf-8")
    news = target / "news"
    write_images(news / "images")
    for article in articles:
        path = news / article.folder / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cchc_markdown(article), encoding="utf-8")
    return target


def blog_markdown(article: CorpusArticle, catalog: Catalog) -> str:
    lines = [
        "---",
        f"title: {_q(article.title)}",
        f"slug: {article.slug}",
        f"date: {article.date:%Y-%m-%d %H:%M:%S}",
        f"categories: {_flow([catalog.categories[c] for c in article.categories])}",
        f"authors: [{article.unit}]",
        f"tags: {_flow(article.tags)}",
    ]
    if article.summary:
        lines.append(f"description: {_q(article.summary)}")
    if article.image:
        lines.append(f"image: ../../images/{article.image}")
    lines += ["---", "", f"# {article.title}", "", article.first_paragraph, "", "<!-- more -->", "",
              article.body_rest, ""]
    return nfc("\n".join(lines))


def write_material_blog(articles: list[CorpusArticle], target: Path, catalog: Catalog | None = None,
                        site: dict | None = None) -> Path:
    """A Material-blog project in `target` (mkdocs.yml + docs/); returns the config path."""
    catalog = catalog or load_catalog()
    docs = target / "docs"
    posts = docs / "blog" / "posts"
    write_images(posts / "images")
    (docs / "index.md").write_text("# Tin cải cách hành chính\n\nTrang tin cải cách hành chính của Sở Giáo dục và Đào tạo.\n",
                                   encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Tin tức\n", encoding="utf-8")
    (docs / "tags.md").write_text("# Thẻ\n\n<!-- material/tags -->\n", encoding="utf-8")
    authors = {"authors": {uid: {"name": name, "description": "Đơn vị đăng tin",
                                 "avatar": "https://sgddt.bentre.gov.vn/cchc/assets/logo.svg"}
                           for uid, name in catalog.units.items()}}
    (docs / "blog" / ".authors.yml").write_text(yaml.safe_dump(authors, allow_unicode=True), encoding="utf-8")
    for article in articles:
        path = posts / article.folder / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(blog_markdown(article, catalog), encoding="utf-8")
    site = site or {}
    config = {
        "site_name": site.get("site_name", "Tin cải cách hành chính"),
        "site_url": site.get("site_url", "https://sgddt.bentre.gov.vn/cchc/"),
        "site_description": site.get("site_description", ""),
        "docs_dir": str(docs),
        "site_dir": str(target / "site"),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "vi", "font": False,
                  "features": ["navigation.tabs", "navigation.top", "search.highlight"]},
        "plugins": [
            {"search": {"lang": "vi"}},
            {"blog": {
                "blog_dir": "blog",
                "post_url_format": "{date}/{slug}",
                "post_url_date_format": "yyyy/MM",
                "post_excerpt": "required",
                "archive": True,
                "archive_date_format": "MMMM yyyy",
                "archive_url_date_format": "yyyy/MM",
                "categories": True,
                "authors": True,
                "authors_profiles": True,
                "pagination": True,
                "pagination_per_page": 10,
            }},
            {"tags": {}},
            {"rss": {
                "match_path": "blog/posts/.*",
                "date_from_meta": {"as_creation": "date", "as_update": "date",
                                   "datetime_format": "%Y-%m-%d %H:%M:%S", "default_timezone": "Asia/Ho_Chi_Minh"},
                "categories": ["categories", "tags"],
                "length": 50,
                "use_git": False,
            }},
        ],
        "markdown_extensions": [
            {"toc": {"permalink": "#"}}, "tables", "attr_list", "md_in_html", "admonition", "footnotes",
        ],
        "nav": [{"Trang chủ": "index.md"}, {"Tin tức": "blog/index.md"}, {"Thẻ": "tags.md"}],
    }
    path = target / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_material_plain(articles: list[CorpusArticle], target: Path, site: dict | None = None) -> Path:
    """The floor: the same pages as plain Material pages, not in the nav, no listings."""
    docs = target / "docs"
    write_images(docs / "tin-tuc" / "images")
    (docs / "index.md").write_text("# Tin cải cách hành chính\n", encoding="utf-8")
    for article in articles:
        path = docs / "tin-tuc" / article.folder / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nfc(f"---\ntitle: {_q(article.title)}\n---\n\n{article.body}\n"), encoding="utf-8")
    site = site or {}
    config = {
        "site_name": site.get("site_name", "Tin cải cách hành chính"),
        "site_url": site.get("site_url", "https://sgddt.bentre.gov.vn/cchc/"),
        "docs_dir": str(docs),
        "site_dir": str(target / "site"),
        "theme": {"name": "material", "language": "vi", "font": False,
                  "features": ["navigation.tabs", "navigation.top", "search.highlight"]},
        "plugins": [{"search": {"lang": "vi"}}],
        "markdown_extensions": [
            {"toc": {"permalink": "#"}}, "tables", "attr_list", "md_in_html", "admonition", "footnotes",
        ],
        "validation": {"nav": {"omitted_files": "ignore"}},
        "nav": [{"Trang chủ": "index.md"}],
    }
    path = target / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":  # quick look: python scripts/bench_corpus.py 3 /tmp/corpus
    import argparse

    parser = argparse.ArgumentParser(description="Write the benchmark corpus")
    parser.add_argument("n", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=20251125)
    args = parser.parse_args()
    cat = load_catalog()
    corpus = generate(args.n, args.seed, cat)
    write_cchc_content(corpus, args.target / "content")
    write_material_blog(corpus, args.target / "blog", cat)
    write_material_plain(corpus, args.target / "plain")
    words = [a.words for a in corpus]
    print(f"{len(corpus)} articles, words {min(words)}–{max(words)}, mean {sum(words) / len(words):.0f}")
