"""Suggesting an article's categories and unit from its text, for the officer to confirm.

A transparent score, so the officer can see why: TF-IDF over folded words (no diacritics,
lower case: "Hồ sơ" and "HỒ SƠ" are one word; single syllables and pairs of syllables, since
Vietnamese words are mostly two syllables: "thủ tục", "một cửa").  Each category is described
by the plan's text for it (name, description, plan text, points) and by the articles already
tagged with it; each unit by its names and its articles.  A candidate's score is the cosine
between the new text and that description; the words that decided are those adding most
to it.  `leave_one_out` measures how often the right category is among the first two.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from .text import fold, nfc

if TYPE_CHECKING:
    from .article import Article
    from .organisation import Units
    from .plan import Plan

_WORD = re.compile(r"[a-z0-9đ]+")
PLAN_WEIGHT = 1.0  # the plan's description of a category, against all its articles together
ARTICLE_WEIGHT = 1.0


def _syllables(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if not w.isdigit()]


def terms(text: str) -> Counter:
    """Folded syllables and syllable pairs of `text`, counted."""
    words = _syllables(text)
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return counts


def _phrases(text: str, weights: dict[str, float], limit: int = 4) -> tuple[str, ...]:
    """The deciding words as phrases of the text: the longest runs (up to 6 syllables) of
    consecutive syllables that carry weight ("cải cách hành chính", not "cách hành"), heaviest
    first, as written (lower case)."""
    text = nfc(text)
    matches = list(re.finditer(r"\w+", text))
    words = [m.group() for m in matches]
    folded = [fold(w) for w in words]
    # A phrase never crosses punctuation or a line break.
    joined = [i > 0 and text[matches[i - 1].end():matches[i].start()].strip(" ") == "" for i in range(len(matches))]
    syllables = {part for term in weights for part in term.split()}
    runs: dict[str, tuple[float, str]] = {}
    i = 0
    while i < len(words):
        if folded[i] not in syllables or folded[i].isdigit():
            i += 1
            continue
        j = i
        while (j < len(words) and j - i < 6 and folded[j] in syllables and not folded[j].isdigit()
               and (j == i or joined[j])):
            j += 1
        keys = folded[i:j]
        score = sum(weights.get(k, 0.0) for k in keys)
        score += sum(weights.get(f"{a} {b}", 0.0) for a, b in zip(keys, keys[1:]))
        key = " ".join(keys)
        if score > 0 and key not in runs:
            runs[key] = (score, " ".join(words[i:j]).lower())
        i = j
    ranked = sorted(runs.items(), key=lambda item: (-item[1][0], item[0]))
    shown: list[str] = []
    for key, (_score, phrase) in ranked:
        if any(key in other for other in shown):
            continue
        shown.append(key)
        if len(shown) == limit:
            break
    return tuple(runs[key][1] for key in shown)


def article_text(article: "Article", bodies) -> str:
    """What an article says, title weighing double; `bodies` hands out its body
    (cchc.content.BodyTexts)."""
    return f"{article.title}\n{article.title}\n{article.summary}\n{bodies.text(article)}"


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    score: float
    words: tuple[str, ...]  # the words of the text that decided, most weight first


class _Model:
    """Candidates described by weighted texts, as L2-normalised TF-IDF vectors."""

    def __init__(self, candidates: dict[str, list[tuple[float, str]]], corpus: Iterable[str]):
        documents = [terms(text) for text in corpus]
        self.size = len(documents) + 1
        df: Counter = Counter()
        for counts in documents:
            df.update(counts.keys())
        self.df = df
        self.vectors: dict[str, dict[str, float]] = {}
        # The words of a candidate's own description (the plan's text, a unit's names): shown
        # first among the deciding words, being the ones the officer recognises.
        self.vocabulary = {candidate: set(terms(texts[0][1])) for candidate, texts in candidates.items() if texts}
        for candidate, texts in candidates.items():
            total: dict[str, float] = {}
            for weight, text in texts:
                vector = self.vector(terms(text))
                for term, value in vector.items():
                    total[term] = total.get(term, 0.0) + weight * value
            self.vectors[candidate] = _normalised(total)

    def idf(self, term: str) -> float:
        return math.log((self.size + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def vector(self, counts: Counter) -> dict[str, float]:
        return _normalised({t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items()})

    def rank(self, text: str, names: dict[str, str], limit: int = 3) -> list[Suggestion]:
        query = self.vector(terms(text))
        scored = []
        for candidate, vector in self.vectors.items():
            contributions = {t: q * vector[t] for t, q in query.items() if t in vector}
            score = sum(contributions.values())
            if score <= 0:
                continue
            # The words of the candidate's own description count double in what is shown.
            own = self.vocabulary.get(candidate, set())
            top = sorted(contributions, key=lambda t: -contributions[t] * (2 if t in own else 1))[:12]
            shown = _phrases(text, {t: contributions[t] * (2 if t in own else 1) for t in top})
            scored.append(Suggestion(candidate, names.get(candidate, candidate), score, shown))
        scored.sort(key=lambda s: (-s.score, s.id))
        return scored[:limit]


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _category_texts(plan: "Plan") -> dict[str, str]:
    texts = {}
    for category in plan.categories.values():
        parts = [category.name, category.name, category.description, category.plan_text]
        for point in category.points:
            parts.append(point.text)
            parts.extend(point.items)
        texts[category.id] = "\n".join(p for p in parts if p)
    return texts


def category_model(plan: "Plan", articles: Iterable["Article"], bodies) -> _Model:
    articles = list(articles)
    plan_texts = _category_texts(plan)
    candidates: dict[str, list[tuple[float, str]]] = {cid: [(PLAN_WEIGHT, text)] for cid, text in plan_texts.items()}
    tagged: dict[str, list[str]] = {}
    for article in articles:
        for category in article.categories:
            if category in candidates:
                tagged.setdefault(category, []).append(article_text(article, bodies))
    for category, texts in tagged.items():
        # All of a category's articles together weigh as much as the plan's description.
        candidates[category].append((ARTICLE_WEIGHT, "\n".join(texts)))
    corpus = [article_text(a, bodies) for a in articles] + list(plan_texts.values())
    return _Model(candidates, corpus)


def suggest_categories(text: str, plan: "Plan", articles: Iterable["Article"], bodies, limit: int = 3) -> list[Suggestion]:
    names = {cid: c.name for cid, c in plan.categories.items()}
    return category_model(plan, articles, bodies).rank(text, names, limit)


def suggest_units(text: str, units: "Units", articles: Iterable["Article"], bodies, limit: int = 3) -> list[Suggestion]:
    articles = list(articles)
    candidates: dict[str, list[tuple[float, str]]] = {}
    names = {}
    for unit in units.units.values():
        label = " ".join(n for n in (unit.name, unit.short_name) if n)
        candidates[unit.id] = [(PLAN_WEIGHT, f"{label}\n{label}")]
        names[unit.id] = unit.name
    by_unit: dict[str, list[str]] = {}
    for article in articles:
        if article.unit in candidates:
            by_unit.setdefault(article.unit, []).append(article_text(article, bodies))
    for unit_id, texts in by_unit.items():
        candidates[unit_id].append((ARTICLE_WEIGHT, "\n".join(texts)))
    corpus = [article_text(a, bodies) for a in articles] + [text for texts in candidates.values() for _w, text in texts[:1]]
    return _Model(candidates, corpus).rank(text, names, limit)


@dataclass(frozen=True)
class Evaluation:
    total: int
    top1: int
    top2: int
    baseline_top2: int  # always suggesting the two most used ones (among the other articles)

    @staticmethod
    def percent(hits: int, total: int) -> int:
        return round(100 * hits / total) if total else 0

    def line(self, what: str) -> str:
        """The figure as the README states it."""
        return (f"{what}: top-2 {self.top2}/{self.total} ({self.percent(self.top2, self.total)} %), "
                f"top-1 {self.top1}/{self.total} ({self.percent(self.top1, self.total)} %); "
                f"always the two most used: {self.baseline_top2}/{self.total}")


def _most_used(values: Iterable[str]) -> list[str]:
    usage = Counter(values)
    return [v for v, _n in sorted(usage.items(), key=lambda item: (-item[1], item[0]))[:2]]


def leave_one_out(articles: list["Article"], bodies, plans: dict[int, "Plan"], *, plan_only: bool = False) -> Evaluation:
    """For each article: suggest categories from the plan and all the other articles (only the
    plan with `plan_only`: a new year without articles yet); count how often a category the
    article really has is first, or among the first two."""
    top1 = top2 = baseline = counted = 0
    for index, article in enumerate(articles):
        plan = plans.get(article.plan_year)
        if plan is None or not article.categories:
            continue
        others = articles[:index] + articles[index + 1:]
        ranked = [s.id for s in suggest_categories(article_text(article, bodies), plan, [] if plan_only else others, bodies, limit=2)]
        right = set(article.categories)
        counted += 1
        top1 += bool(ranked[:1] and ranked[0] in right)
        top2 += bool(right & set(ranked[:2]))
        baseline += bool(right & set(_most_used(c for o in others for c in o.categories if c in plan.categories)))
    return Evaluation(counted, top1, top2, baseline)


def leave_one_out_units(articles: list["Article"], bodies, units: "Units") -> Evaluation:
    """As `leave_one_out`, for the unit."""
    top1 = top2 = baseline = 0
    for index, article in enumerate(articles):
        others = articles[:index] + articles[index + 1:]
        ranked = [s.id for s in suggest_units(article_text(article, bodies), units, others, bodies, limit=2)]
        top1 += ranked[:1] == [article.unit]
        top2 += article.unit in ranked
        baseline += article.unit in _most_used(o.unit for o in others)
    return Evaluation(len(articles), top1, top2, baseline)
