"""Documents cited by articles: `van-ban/` (every cited document, by type) and `van-ban/<id>/`
(the articles citing one document), plus the Markdown extension that links citations in text.

Each shown article is scanned once (title and Markdown prose, see `cchc.legal`); what is known
about a document comes from content/documents.yml, then from the plans' `documents:` (and each
plan's own number and the plan it implements), then from the number itself.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..article import Article
from ..dates import format_short_date
from ..diagnostics import ContentError, Diagnostics
from ..legal import DATA_FILE, DocumentInfo, LegalData, load_legal_data
from ..markdown_legal import LegalLinksExtension, LinkTarget
from ..outputs import PageOutput, paginate
from ..text import slugify, sort_key
from ..urls import source_uri
from .listings import _pager_context

DOCUMENT_ROOT = "van-ban/"
OTHER_TYPE = "Văn bản khác"  # group of documents whose type is unknown


def document_url(doc_id: str) -> str:
    return f"{DOCUMENT_ROOT}{doc_id}/"


@dataclass
class CitedDocument:
    id: str
    number: str
    type: str = ""
    issuer: str = ""
    date: dt.date | None = None
    title: str = ""
    url: str = ""  # official text
    year: int | None = None
    articles: list[Article] = field(default_factory=list)  # newest first

    @property
    def label(self) -> str:
        """"Nghị định số 06/2023/NĐ-CP" (or "Văn bản số …" when the type is unknown)."""
        return f"{self.type or 'Văn bản'} số {self.number}"

    def sort_key(self) -> tuple:
        """Newest first (by date, else by the year in the number), undated last, then by number."""
        when = self.date or (dt.date(self.year, 1, 1) if self.year else None)
        head = self.number.split("/")[0].split("-")[0]
        return (when is None, -(when.toordinal() if when else 0),
                int(head) if head.isdigit() else 0, sort_key(self.number))


@dataclass
class DocumentIndex:
    data: LegalData
    documents: dict[str, CitedDocument]  # by id

    def sorted_documents(self) -> list[CitedDocument]:
        return sorted(self.documents.values(), key=lambda d: (d.type == "", sort_key(d.type), d.sort_key()))

    def groups(self) -> list[tuple[str, list[CitedDocument]]]:
        """(type name, documents) in Vietnamese alphabetical order, unknown types last."""
        groups: dict[str, list[CitedDocument]] = {}
        for doc in self.sorted_documents():
            groups.setdefault(doc.type, []).append(doc)
        return [(name or OTHER_TYPE, docs) for name, docs in groups.items()]

    def link_targets(self) -> dict[str, LinkTarget]:
        """Where citations link: the generated page's source path, which the engine resolves."""
        return {doc.id: LinkTarget("/" + source_uri(document_url(doc.id)), doc.title)
                for doc in self.documents.values()}


def _merge(base: DocumentInfo | None, new: DocumentInfo) -> DocumentInfo:
    if base is None:
        return new
    return DocumentInfo(
        number=new.number or base.number,
        type=new.type or base.type,
        date=new.date or base.date,
        issuer=new.issuer or base.issuer,
        title=new.title or base.title,
        url=new.url or base.url,
    )


def known_documents(content, data: LegalData) -> dict[str, DocumentInfo]:
    """What the plans (older first, newer win) and then the data file say, by document id."""
    detector = data.detector
    known: dict[str, DocumentInfo] = {}
    for year in sorted(content.plans):
        plan = content.plans[year]
        infos = [DocumentInfo(plan.number, date=plan.date, issuer=plan.issuer, title=plan.title)] if plan.number else []
        if plan.implements is not None and plan.implements.number:
            infos.append(plan.implements)
        infos += list(plan.documents.values())
        for doc in infos:
            ref = detector.parse(doc.number)
            doc_id = ref.id if ref else slugify(doc.number)
            if not doc_id:
                continue
            info = DocumentInfo(ref.number if ref else doc.number, data.canonical_type(doc.type) if doc.type else "",
                                doc.date, doc.issuer, doc.title)
            known[doc_id] = _merge(known.get(doc_id), info)
    for doc_id, info in data.documents.items():
        known[doc_id] = _merge(known.get(doc_id), info)
    return known


def build_index(build) -> DocumentIndex:
    content = build.content
    data = content.legal
    if data is None:  # content loaded without documents.yml checking (e.g. a custom loader)
        diags = Diagnostics(content.root.parent)
        data = load_legal_data(content.root / DATA_FILE, diags)
        if diags.errors:
            raise ContentError(diags.sorted())
    detector = data.detector
    known = known_documents(content, data)
    documents: dict[str, CitedDocument] = {}
    words: dict[str, Counter] = {}
    for article in build.index.articles:  # newest first
        refs = detector.find(article.title) + detector.find_in_markdown(article.body)
        for ref in refs:
            doc = documents.get(ref.id)
            if doc is None:
                info = known.get(ref.id)
                parsed = detector.parse(info.number) if info else None
                code = parsed or ref
                doc = documents[ref.id] = CitedDocument(
                    id=ref.id,
                    number=info.number if info else ref.number,
                    type=(info.type if info else "") or code.code_type,
                    issuer=(info.issuer if info else "") or code.issuer,
                    date=info.date if info else None,
                    title=info.title if info else "",
                    url=info.url if info else "",
                    year=code.year,
                )
                words[ref.id] = Counter()
            if ref.type_word:
                words[ref.id][ref.type_word] += 1
            if not doc.articles or doc.articles[-1] is not article:
                doc.articles.append(article)
    for doc_id, doc in documents.items():
        if not doc.type and words[doc_id]:  # "Luật số 80/2015/QH13": the type is only in the text
            doc.type = words[doc_id].most_common(1)[0][0]
    return DocumentIndex(data, documents)


_CACHE = "_cchc_document_index"


def document_index(build) -> DocumentIndex:
    """The index of cited documents, built once per SiteBuild (kept on it, like its cached views)."""
    index = build.__dict__.get(_CACHE)
    if index is None:
        index = build.__dict__[_CACHE] = build_index(build)
    return index


def markdown_extension(build) -> LegalLinksExtension:
    """The extension that links citations to the pages this build generates."""
    index = document_index(build)
    return LegalLinksExtension(index.data.detector, index.link_targets())


def _row(doc: CitedDocument) -> dict:
    return {
        "id": doc.id,
        "url": document_url(doc.id),
        "label": doc.label,
        "number": doc.number,
        "type": doc.type,
        "issuer": doc.issuer,
        "title": doc.title,
        "date_text": format_short_date(doc.date) if doc.date else "",
        "date_iso": doc.date.isoformat() if doc.date else "",
        "official_url": doc.url,
        "count": len(doc.articles),
    }


def generate(build) -> Iterable[PageOutput]:
    index = document_index(build)
    groups = [{"name": name, "anchor": slugify(name) or "khac", "count": len(docs), "documents": [_row(d) for d in docs]}
              for name, docs in index.groups()]
    yield PageOutput(url=DOCUMENT_ROOT, title="Văn bản", template="cchc/documents.html", kind="documents",
                     description="Các văn bản pháp luật, văn bản hành chính được nhắc đến trong tin cải cách hành chính.",
                     context={"heading": "Văn bản", "groups": groups, "total": len(index.documents)})
    for doc in index.sorted_documents():
        row = _row(doc)
        description = doc.title or f"Các tin có nhắc đến {doc.label}."
        for pager, items in paginate(doc.articles, build.settings.page_size, document_url(doc.id)):
            title = doc.label if pager.number == 1 else f"{doc.label} – Trang {pager.number}"
            yield PageOutput(url=pager.url, title=title, template="cchc/documents.html", kind="document",
                             description=description,
                             context={"heading": doc.label, "document": row, "total": len(doc.articles),
                                      "cards": [build.card(a) for a in items], "pager": _pager_context(pager),
                                      "index_url": DOCUMENT_ROOT})
