"""The category and unit suggestions of `cchc import`: measured, and the README says the measure."""

from __future__ import annotations

import importlib.util

from cchc.content import load_content
from cchc.suggest import leave_one_out, suggest_categories, suggest_units

from support import ROOT, SAMPLE_CONTENT


def _script():
    spec = importlib.util.spec_from_file_location("suggest_eval", ROOT / "scripts" / "suggest_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_states_the_measured_leave_one_out_figures():
    lines = _script().lines(SAMPLE_CONTENT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in lines:
        assert line in readme, f"README.md should say: {line}"


def test_suggestions_beat_always_proposing_the_most_used_categories():
    content = load_content(SAMPLE_CONTENT)
    measured = leave_one_out(content.articles, content.bodies, content.plans)
    assert measured.total == len(content.articles) >= 40
    assert measured.top2 >= 0.8 * measured.total
    assert measured.top2 > 2 * measured.baseline_top2
    plan_only = leave_one_out(content.articles, content.bodies, content.plans, plan_only=True)
    assert plan_only.top2 > plan_only.baseline_top2  # the plan's descriptions alone already help


def test_the_deciding_words_are_phrases_of_the_text():
    content = load_content(SAMPLE_CONTENT)
    text = ("Bộ phận một cửa của Sở tiếp nhận hồ sơ cấp bản sao văn bằng qua dịch vụ công trực tuyến; "
            "thủ tục hành chính được giải quyết đúng hạn.")
    first = suggest_categories(text, content.plans[2025], content.articles, content.bodies)[0]
    assert first.id == "thu-tuc-hanh-chinh"
    assert "một cửa" in " ".join(first.words) or "thủ tục hành chính" in " ".join(first.words)
    assert all(word in text.lower() for word in first.words)
    unit = suggest_units("Trường THPT Chuyên Bến Tre tổ chức tập huấn.", content.units, content.articles, content.bodies)[0]
    assert unit.id == "truong-thpt-chuyen-ben-tre" and "trường thpt chuyên bến tre" in unit.words
