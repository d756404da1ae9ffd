"""Properties that must hold for any input (hypothesis).

- slugs (article, tag, heading) are always [a-z0-9-]+, unique where the site needs them to
  be, and stable: the same text (in any Unicode composition, any input order) gives the same slug;
- any front matter that passes validation renders: every page and file of the build is made,
  feeds parse, the article body is sanitised (domain build for many examples, a full MkDocs
  build for a few);
- folding is idempotent;
- front matter with control or bidi-override characters is refused at the field's line, and
  invisible format characters never reach an output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.dates import parse_datetime, to_vn
from cchc.index import SiteIndex
from cchc.outputs import AssetOutput, PageOutput
from cchc.sanitize import clean_html
from cchc.settings import SiteSettings
from cchc.text import fold, heading_slug, nfc, slugify, strip_format_chars, tag_key
from support import FIXTURES, build_site

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BASE = FIXTURES / "hostile"
NOW = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SITE_URL = "https://sgddt.example.gov.vn/cchc/"

LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
           "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
HOSTILE = ["<script>alert(1)</script>", "</title>", "]]>", "&", "&amp;", '"', "'", "<b>", "\\", "#", ":", "{", "}",
           "[", "]", "*", "`", "-->", "<!--", "\u00a0", "–", "“", "”"]
words = st.lists(st.one_of(st.text(alphabet=LETTERS + "0123456789", min_size=1, max_size=10),
                           st.sampled_from(HOSTILE)), min_size=1, max_size=8).map(" ".join)
any_text = st.text(max_size=40)  # every Unicode character, for the pure-text properties
# Invisible characters pasted from the web or Word: format characters are removed (warning),
# controls and bidi overrides are refused.
FORMAT_CHARS = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u200e"]
REFUSED_CHARS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u2028"]
OUTPUT_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200d\u2060\ufeff]")


# --- slugs ---------------------------------------------------------------------------------------
@given(any_text)
@settings(max_examples=300, deadline=None)
def test_slugify_is_url_safe_and_independent_of_composition(text):
    slug = slugify(text)
    assert slug == "" or SLUG.match(slug)
    assert slugify(unicodedata.normalize("NFD", text)) == slug == slugify(unicodedata.normalize("NFC", text))


@given(any_text)
@settings(max_examples=300, deadline=None)
def test_heading_anchor_is_never_empty_and_url_safe(text):
    anchor = heading_slug(text)
    assert SLUG.match(anchor), anchor
    assert heading_slug(unicodedata.normalize("NFD", text)) == anchor


class _Article:
    """The few fields SiteIndex reads."""

    def __init__(self, n: int, tags: tuple[str, ...]):
        self.tags, self.categories, self.unit = tags, ("thu-tuc-hanh-chinh",), "van-phong"
        self.date = dt.datetime(2025, 1 + n % 12, 1 + n % 28, tzinfo=dt.timezone.utc)
        self.slug = f"bai-{n}"
        self.url = f"tin-tuc/{self.date:%Y/%m}/{self.slug}/"
        self.year, self.month = self.date.year, self.date.month
        self.sort_key = (-self.date.timestamp(), self.slug)


@given(st.lists(st.lists(st.one_of(words, any_text), max_size=4), min_size=1, max_size=6), st.randoms())
@settings(max_examples=150, deadline=None)
def test_tag_slugs_are_url_safe_unique_and_stable(tag_lists, random):
    articles = [_Article(n, tuple(tags)) for n, tags in enumerate(tag_lists)]
    index = SiteIndex.build(articles)
    slugs = [tag.slug for tag in index.tags.values()]
    assert all(SLUG.match(s) for s in slugs)
    assert len(slugs) == len(set(slugs))
    keys = {tag_key(t) for tags in tag_lists for t in tags}
    assert len(slugs) == len(keys)  # one page per tag, whatever its case or composition
    shuffled = list(articles)
    random.shuffle(shuffled)
    again = SiteIndex.build(shuffled)
    for tags in tag_lists:
        for tag in tags:
            assert again.tag_slug(tag) == index.tag_slug(tag)
            assert index.tag_slug(unicodedata.normalize("NFD", tag)) == index.tag_slug(tag)


# --- folding ---------------------------------------------------------------------------------------
@given(st.one_of(any_text, words))
@settings(max_examples=300, deadline=None)
def test_fold_is_idempotent_and_plain(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))
    assert fold(unicodedata.normalize("NFD", text)) == folded


# --- valid front matter renders ------------------------------------------------------------------------
CATEGORIES = ["thu-tuc-hanh-chinh", "chinh-quyen-so"]
UNITS = ["van-phong", "thanh-tra", "phong-khao-thi"]


DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S+08:00",
                "%Y-%m-%d %H:%M -05:00", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S +07:00"]
# Scalars YAML does not read as text; the title keeps them as written (bool is refused by design).
non_string_titles = st.one_of(st.integers(0, 10**9), st.sampled_from([1.5, 2.25, 10.0, 0.125]),
                              st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
invisible_words = st.builds(lambda word, ch, at: word[:at] + ch + word[at:], words, st.sampled_from(FORMAT_CHARS),
                            st.integers(0, 5))


def expected_text(value) -> str:
    """What the site shows for a front matter text value."""
    if isinstance(value, str):
        return strip_format_chars(nfc(value))[0].strip()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@st.composite
def front_matter(draw, n: int):
    moment = draw(st.datetimes(min_value=dt.datetime(2024, 12, 15), max_value=dt.datetime(2026, 1, 9, 23, 59)))
    date_format = draw(st.sampled_from(DATE_FORMATS))
    fields = {
        "title": draw(st.one_of(words, words, invisible_words, non_string_titles)),
        "slug": f"bai-{n}-" + (slugify(draw(words), max_length=30) or "x"),
        "date": moment.strftime(date_format),
        "categories": draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True)),
        "unit": draw(st.sampled_from(UNITS)),
    }
    optional = {
        "tags": st.lists(st.one_of(words, invisible_words, st.integers(0, 3000)), max_size=3),
        "summary": st.one_of(words, invisible_words),
        "author": st.one_of(words, invisible_words),
        "image_alt": words,
        "forms": st.lists(st.sampled_from(["website", "tap-huan"]), min_size=1, max_size=2, unique=True),
        "draft": st.booleans(),
        "updated": st.just((moment + dt.timedelta(days=3)).strftime(date_format)),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            fields[key] = draw(strategy)
    if "image_alt" in fields:
        fields["image"] = "images/anh.jpg"
    body = "\n\n".join(draw(st.lists(st.one_of(words, st.sampled_from([
        "## Kết quả", "| A | B |\n|---|---|\n| 1 | 2 |", "- một\n- hai", "> trích dẫn", "```\n<script>x</script>\n```",
        '<p onclick="alert(1)">đoạn</p>', "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
        "[liên kết](https://example.org/?a=1&b=2)", "Chú thích[^1]\n\n[^1]: Nguồn.",
    ])), max_size=5)))
    return fields, body


def write_articles(content: Path, articles) -> None:
    for n, (fields, body) in enumerate(articles):
        text = "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"
        path = content / "news" / "2025" / "03" / f"sinh-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


class _Bodies(dict):
    def html(self, url: str) -> str:
        return self.get(url, "")


def domain_render(content_dir: Path) -> tuple[SiteBuild | None, dict[str, bytes], dict[str, str]]:
    """Everything the engine would publish, made with the domain package alone."""
    content = load_content(content_dir)
    if not content.ok:
        return None, {}, {}
    site_settings = SiteSettings.from_mapping({"content_dir": str(content_dir)}, base_dir=content_dir.parent,
                                              site_url=SITE_URL, site_name="Tin CCHC")
    build = SiteBuild(content, site_settings, NOW)
    outputs = build.run()
    converter = markdown.Markdown(extensions=["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes"])
    bodies = _Bodies()
    for output in outputs:
        if isinstance(output, PageOutput) and output.kind == "article":
            bodies[output.url] = clean_html(converter.reset().convert(output.markdown))
    files = {}
    for output in outputs:
        if isinstance(output, AssetOutput):
            if output.render is not None:
                files[output.path] = output.render(bodies)
            elif output.content is not None:
                files[output.path] = output.content
    return build, files, bodies


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


@given(st.integers(1, 3).flatmap(lambda k: st.tuples(*[front_matter(n) for n in range(k)])))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_valid_front_matter_always_renders(scratch, articles):
    content = scratch / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(BASE, content)
    write_articles(content, articles)
    loaded = load_content(content)
    assume(loaded.ok)  # the property is about front matter that passes validation
    build, files, bodies = domain_render(content)
    assert build is not None
    pages = [o for o in build.outputs if isinstance(o, PageOutput)]
    published = {a.url for a in build.articles}
    assert published <= {p.url for p in pages if p.kind == "article"}
    for fields, _body in articles:
        title = expected_text(fields["title"])
        if not fields.get("draft"):
            assert any(p.title == title for p in pages if p.kind == "article"), title
    for page in pages:
        assert not OUTPUT_BAD.search(page.title + page.description), page.url
    for path, data in files.items():
        if path.endswith((".xml", ".xsl")):
            etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        elif path.endswith(".json"):
            json.loads(data)
        if path.endswith((".xml", ".xsl", ".json", ".csv", ".txt")):
            assert not OUTPUT_BAD.search(data.decode("utf-8-sig")), path  # nothing invisible in feeds, data
    for html in bodies.values():
        assert "<script" not in html and "onclick" not in html


@given(st.sampled_from(["title", "author", "summary", "image_alt", "tags"]), st.sampled_from(REFUSED_CHARS),
       st.booleans(), words)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_control_and_bidi_characters_are_refused_at_their_line(scratch, key, char, escaped, text):
    """Typed as is or as a YAML escape ("\\x1b"), a control or bidi-override character in any
    text field is an error on that field's line, never a crash or a page."""
    content = scratch / "invisible"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(BASE, content)
    value = text[:3] + char + text[3:]
    written = json.dumps(value) if escaped else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ['title: "Bài viết"', "slug: bai-viet", "date: 2025-03-20 09:00", "categories: [thu-tuc-hanh-chinh]",
             "unit: van-phong"]
    field_line = f"{key}: [{written}]" if key == "tags" else f"{key}: {written}"
    if key == "title":
        lines[0] = field_line
    else:
        lines.append(field_line)
    line = 2 + next(i for i, entry in enumerate(lines) if entry.startswith(key + ":"))
    path = content / "news/2025/03/bai.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n\nNội dung.\n", encoding="utf-8")
    loaded = load_content(content)
    errors = [e for e in loaded.diagnostics.errors if e.path.endswith("bai.md")]
    assert [e.line for e in errors] == [line], loaded.diagnostics.format()
    assert f"U+{ord(char):04X}" in errors[0].message and errors[0].hint
    assert all(a.slug != "bai-viet" for a in loaded.articles)


@given(st.tuples(front_matter(0), front_matter(1)))
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
def test_valid_front_matter_builds_with_the_engine(scratch, articles):
    project = scratch / "full"
    shutil.rmtree(project, ignore_errors=True)
    content = project / "content"
    shutil.copytree(BASE, content)
    write_articles(content, articles)
    assume(load_content(content).ok)
    # After every date the strategy draws, whatever its offset (23:59 at -05:00 is 11:59 the next
    # day in Vietnam): each article is published, none merely scheduled.
    built = build_site(project, content, build_date="2026-01-11 09:00")
    assert built.ok, built.output
    assert "Traceback" not in built.output
    for fields, _body in articles:
        if fields.get("draft"):
            continue
        moment = to_vn(parse_datetime(fields["date"])[0])  # an offset may move it to another day
        page = built.site / f"tin-tuc/{moment:%Y/%m}/{fields['slug']}/index.html"
        assert page.is_file()
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8")
