"""Vietnamese text rules: slugs, NFC/tone-placement normalisation, folding, sorting, legacy fonts."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.content import load_content
from cchc.index import SiteIndex
from cchc.text import (BIDI_RE, FORMAT_RE, fold, is_valid_slug, legacy_encoding_lines, legacy_encoding_words, nfc,
                       normalize, slugify, sort_key, strip_format_chars, tag_key)

from support import make_content, write_article

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Text that looks like what staff type: Vietnamese letters in both compositions and both
# tone placements, capitals, digits, punctuation, plus anything else Unicode has.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ"
vietnamese_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(VIETNAMESE + " -_/.,:;!?'\"()0123456789\t\n"),
        st.sampled_from("\u0300\u0301\u0309\u0303\u0323\u0302\u0306\u031b"),  # combining (NFD input)
        st.characters(),
    ),
    max_size=60,
)


# --- Slugs --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đẩy mạnh chuyển đổi số", "day-manh-chuyen-doi-so"),
        ("ĐẨY MẠNH CHUYỂN ĐỔI SỐ", "day-manh-chuyen-doi-so"),
        ("Hội nghị: kết quả quý I/2025", "hoi-nghi-ket-qua-quy-i-2025"),
        ("  Thủ tục hành chính -- một cửa  ", "thu-tuc-hanh-chinh-mot-cua"),
        (unicodedata.normalize("NFD", "Đường dây nóng"), "duong-day-nong"),
    ],
)
def test_slugify_vietnamese_titles(title, slug):
    assert slugify(title) == slug


@given(vietnamese_text)
@settings(max_examples=400)
def test_slugify_output_is_always_a_url_safe_slug(text):
    slug = slugify(text)
    assert slug == "" or SLUG_PATTERN.match(slug)
    assert slug == "" or is_valid_slug(slug)


def _library_slug(text: str, max_length: int = 80) -> str:
    """python-slugify on the text as staff wrote it (its own transliteration, text-unidecode)."""
    from slugify import slugify as library

    return library(nfc(text), max_length=max_length, word_boundary=True)


TITLE_PUNCTUATION = "“”‘’–—…«»•·÷‐‑‒―„‚‹›\u00a0\u2009\u202f\u200b\u00ad′″"


def test_slugs_are_the_librarys_for_every_sample_title_and_punctuation():
    """Article URLs come from titles: the folding done before python-slugify (to spare loading
    text-unidecode's table) must never change a slug, or a published URL would move."""
    from support import SAMPLE_CONTENT

    titles = [a.title for a in load_content(SAMPLE_CONTENT).articles]
    titles += [f"Quyết định{mark}số 12/QĐ-SGDĐT{mark} “Về việc” {mark}ban hành" for mark in TITLE_PUNCTUATION]
    titles += ["ĐẢNG ỦY – Ủy ban nhân dân tỉnh: “Cải cách hành chính” năm 2025…", "Trường THPT Nguyễn Đình Chiểu’s",
               "Ôn tập — ôn luyện ơ ư ă â ê ô đ Đ", "Giá 1.000€ – 50° – №3 – ©2025 ™", "Straße Ærø øre", "中文 标题",
               "Tiếng Việt " * 12, "a" * 100, "’’’", "…", "", "Năm 2025‚ 2026 „1‚000”", "A&amp;B – C&#39;D"]
    assert len(titles) > 60
    for title in titles:
        for length in (80, 20):
            assert slugify(title, max_length=length) == _library_slug(title, length), title


@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđĐÁÀẢÃẠấầẩẫậ" + TITLE_PUNCTUATION + " -:/.,'&;#0123456789")),
               max_size=60))
@settings(max_examples=1000)
def test_slugs_are_the_librarys_for_any_vietnamese_text(text):
    assert slugify(text) == _library_slug(text)


@pytest.mark.parametrize("value", ["../x", "Có dấu", "a/b", "", "a--b", "-a", "a-", "A", "a_b", "a b"])
def test_invalid_slugs_are_refused(value):
    assert not is_valid_slug(value)


@pytest.mark.parametrize("value", ["a", "tin-tuc-2025", "day-manh-chuyen-doi-so"])
def test_valid_slugs_are_accepted(value):
    assert is_valid_slug(value)


# --- Normalisation ----------------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new"), [("hoà", "hòa"), ("thuỷ", "thủy"), ("Hoà Bình", "Hòa Bình"),
                                          ("khoẻ", "khỏe"), ("HOÀ GIẢI", "HÒA GIẢI")])
def test_old_and_new_tone_placement_compare_equal(old, new):
    assert normalize(old) == normalize(new)
    assert normalize(unicodedata.normalize("NFD", old)) == normalize(new)


@pytest.mark.parametrize("word", ["hoàng", "khuyến", "quý", "thuyền", "quà", "Hoàng Sa", "thuế", "quỳnh"])
def test_words_with_correct_tone_on_second_vowel_are_unchanged(word):
    assert normalize(word) == word


def test_normalize_makes_nfd_text_nfc():
    decomposed = unicodedata.normalize("NFD", "Cải cách hành chính")
    assert decomposed != "Cải cách hành chính"
    assert normalize(decomposed) == "Cải cách hành chính"
    assert nfc(decomposed) == "Cải cách hành chính"


@given(vietnamese_text)
@settings(max_examples=400)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(vietnamese_text)
@settings(max_examples=400)
def test_normalize_is_the_same_for_nfc_and_nfd_input(text):
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(unicodedata.normalize("NFC", text))


def test_tag_key_ignores_case_composition_and_tone_placement():
    assert tag_key("hoà giải") == tag_key("Hòa giải") == tag_key(unicodedata.normalize("NFD", "HÒA GIẢI"))
    assert tag_key("hòa giải") != tag_key("hoa giai")


def test_tags_with_old_and_new_tone_placement_become_one_tag(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/a.md", slug="bai-a", title='"Bài A"', tags="[hoà giải, một cửa]")
    write_article(content, "2025/03/b.md", slug="bai-b", title='"Bài B"', date="2025-03-18 08:30",
                  tags="[hòa giải]")
    loaded = load_content(content)
    assert loaded.diagnostics.errors == []
    index = SiteIndex.build(loaded.articles)
    assert sorted(index.tags) == ["hoa-giai", "mot-cua"]
    assert sorted(a.slug for a in index.tags["hoa-giai"].articles) == ["bai-a", "bai-b"]
    assert index.tag_slug("hoà giải") == index.tag_slug("hòa giải") == "hoa-giai"


# --- Folding and sorting ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "folded"), [("Đông", "dong"), ("Đẩy mạnh", "day manh"),
                                               ("THỦ TỤC HÀNH CHÍNH", "thu tuc hanh chinh"),
                                               (unicodedata.normalize("NFD", "Đường"), "duong")])
def test_fold_strips_diacritics_and_d_bar(text, folded):
    assert fold(text) == folded


@given(vietnamese_text)
@settings(max_examples=400)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_vietnamese_alphabetical_order():
    names = ["Đông", "Dương", "An", "Ăn", "Âm", "Bình"]
    assert sorted(names, key=sort_key) == ["An", "Ăn", "Âm", "Bình", "Dương", "Đông"]


def test_sort_order_ignores_composition_and_puts_tones_after_letters():
    words = ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]
    shuffled = ["mạ", "mai", "má", unicodedata.normalize("NFD", "mã"), "mà", "ma", "mả"]
    assert [nfc(w) for w in sorted(shuffled, key=sort_key)] == words


# --- Legacy font encodings ------------------------------------------------------------------------
@pytest.mark.parametrize(("line", "words"), [
    ("c¶i c¸ch hµnh chÝnh", ["c¶i", "c¸ch", "hµnh", "chÝnh"]),
    ("caûi caùch haønh chính", ["caûi", "caùch", "haønh"]),
    ("Hoäi nghò trieån khai coâng taùc.", ["Hoäi", "trieån", "coâng", "taùc."]),
    # .VnTimeH capitals reuse the lower-case bytes; VNI capitals use capital marks
    ("HéI NGHÞ TRIÓN KHAI C¤NG T¸C", ["HéI", "NGHÞ", "C¤NG", "T¸C"]),
    ("UBND TØNH B¾C NINH", ["TØNH", "B¾C"]),
    ("CAÛI CAÙCH HAØNH CHÍNH", ["CAÛI", "CAÙCH", "HAØNH"]),
    ("§iÒu 5. Th«ng b¸o", ["§iÒu", "Th«ng", "b¸o"]),
    ("Ñaøo taïo", ["Ñaøo", "taïo"]),
    ("Chöông trình", ["Chöông"]),
])
def test_legacy_encodings_are_detected(line, words):
    assert legacy_encoding_words(line) == words


@pytest.mark.parametrize("line", [
    "Müller", "Zürich", "façade", "naïve", "µg", "Nº 5", "5 µg/ml, 3 µm", "Noël, Citroën, Gödel, Straße, Björn, Mærsk",
    "niño, señor, España, São Paulo, João, Søren, Ångström, Besançon", "Raúl aún où", "km² m³ ½ ¼ © ® ™ × ·",
    "«Dân vận khéo» « bonjour »", "Điều 5 §2, 25°C", "Hội nghị ở Zürich với ông Müller về façade trường",
])
def test_foreign_words_and_symbols_are_not_flagged(line):
    assert legacy_encoding_words(line) == []


def test_legacy_lines_are_numbered_and_plain_text_is_skipped_fast():
    text = "Dòng đúng\nc¶i c¸ch\nBÌNH ĐỊNH\ncaûi caùch\n"
    assert legacy_encoding_lines(text) == [(2, ["c¶i", "c¸ch"]), (4, ["caûi", "caùch"])]
    article = ("Sáng 17/3, Văn phòng Sở GD&ĐT tổ chức hội nghị triển khai công tác cải cách hành chính, "
               "chuyển đổi số và dịch vụ công trực tuyến toàn trình năm 2025 (Nghị định 06/2023/NĐ-CP).\n") * 30
    assert 5000 < len(article.encode()) < 8000 and legacy_encoding_lines(article) == []
    # Performance: the check runs on thousands of articles; one regex scan per article.
    best = min(_timed(legacy_encoding_lines, article) for _ in range(5))
    assert best < 0.0005, f"{best * 1000:.2f} ms per 6 KB article"


def _timed(function, *args):
    import time
    start = time.perf_counter()
    for _ in range(20):
        function(*args)
    return (time.perf_counter() - start) / 20


@pytest.mark.parametrize("line", ["BÌNH ĐỊNH", "Đường dây nóng", "THỦ TỤC HÀNH CHÍNH",
                                  "Nghị định số 06/2023/NĐ-CP – “một cửa” … 25°C",
                                  unicodedata.normalize("NFC", "Hoà giải, thuỷ lợi, khuyến học")])
def test_correct_vietnamese_is_not_flagged(line):
    assert legacy_encoding_words(line) == []


# --- Invisible characters ------------------------------------------------------------------------
def test_every_format_character_is_stripped_or_refused():
    import sys
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(format_chars) > 150
    for ch in format_chars:
        assert FORMAT_RE.match(ch) or BIDI_RE.match(ch), f"U+{ord(ch):04X}"
    assert not any(FORMAT_RE.match(ch) for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_strip_format_chars():
    assert strip_format_chars("Hội\u200b nghị\u00ad\u2060") == ("Hội nghị", ["\u200b", "\u00ad", "\u2060"])
    assert strip_format_chars("Hội nghị") == ("Hội nghị", [])
