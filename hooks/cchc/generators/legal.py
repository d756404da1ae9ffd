"""Documents cited by articles: `van-ban/` (every cited document, by type) and `van-ban/<id>/`
(the articles citing one document), plus the Markdown extension that links citations in text.

Each shown article is scanned once (title and Markdown prose, see `cchc.legal`); what is known
about a document comes from content/documents.yml, then from the plans' `documents:` (and each
plan's own number and the plan it implements), then from the number itself.

A number without a year ("45/KH-SGDĐT") is one document per year: its id carries the year when
it is known (a plan's or documents.yml's date or `year:`, or the date written after the number in
an article).  A citation that gives no year goes to the one such document staff know of, else to
the one cited with a date; with several it stays on a page of its own ("không rõ năm").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..article import Article
from ..dates import format_short_date
from ..diagnostics import ContentError, Diagnostics
from ..documents import EXPIRED, IN_FORCE, Document
from ..legal import DATA_FILE, LegalData, document_id, load_legal_data
from ..markdown_legal import LegalLinksExtension, LinkTarget
from ..outputs import PageOutput, paginate
from ..text import slugify, sort_key
from ..urls import source_uri
from .listings import pager_context

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
    year: int | None = None  # in the number, else the year its id carries (45-kh-sgddt-2025)
    dated: bool = False  # the number has no year; the id carries it
    note: str = ""  # tells apart documents with the same number ("năm 2025")
    articles: list[Article] = field(default_factory=list)  # newest first
    # documents.yml (issue 18): validity, and the documents that replaced or amended it
    effective: dt.date | None = None
    expired: dt.date | None = None
    status: str = ""  # cchc.legal.IN_FORCE, EXPIRED, or "" (not said)
    replaced_by: str = ""  # id of the replacing document (it has a page too)
    amended_by: tuple[str, ...] = ()  # ids
    replaces: list[str] = field(default_factory=list)  # ids of the documents this one replaced
    amends: list[str] = field(default_factory=list)  # ids of the documents this one amended
    cited: bool = True  # False: no article cites it, it has a page as a replacement or amendment

    @property
    def issued_year(self) -> int | None:
        return self.date.year if self.date else self.year

    @property
    def label(self) -> str:
        """"Nghị định số 06/2023/NĐ-CP" (or "Văn bản số …" when the type is unknown)."""
        label = f"{self.type or 'Văn bản'} số {self.number}"
        return f"{label} ({self.note})" if self.note else label

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
    # number's id → id of the one document with a year that has this number ("45-kh-sgddt" →
    # "45-kh-sgddt-2025"): where citations that give no year go
    resolved: dict[str, str] = field(default_factory=dict)

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
        targets = {doc.id: LinkTarget("/" + source_uri(document_url(doc.id)), doc.title)
                   for doc in self.documents.values()}
        for base_id, doc_id in self.resolved.items():
            if base_id not in targets and doc_id in targets:
                targets[base_id] = targets[doc_id]
        return targets


def _merge(base: Document | None, new: Document) -> Document:
    if base is None:
        return new
    return Document(
        number=new.number or base.number,
        type=new.type or base.type,
        date=new.date or base.date,
        issuer=new.issuer or base.issuer,
        title=new.title or base.title,
        url=new.url or base.url,
        year=new.year or base.year,
        aliases=base.aliases + tuple(a for a in new.aliases if a not in base.aliases),
        effective=new.effective or base.effective,
        expired=new.expired or base.expired,
        status=new.status or base.status,
        replaced_by=new.replaced_by or base.replaced_by,
        amended_by=new.amended_by or base.amended_by,
    )


def known_documents(content, data: LegalData) -> dict[str, Document]:
    """What the plans (older first, newer win) and then the data file say, by document id.

    A number without a year whose date is known gets the year in its id ("9000-kh-ubnd-2024").
    """
    detector = data.detector
    known: dict[str, Document] = {}
    for year in sorted(content.plans):
        plan = content.plans[year]
        infos = [Document(plan.number, date=plan.date, issuer=plan.issuer, title=plan.title)] if plan.number else []
        if plan.implements is not None and plan.implements.number:
            infos.append(plan.implements)
        infos += list(plan.documents.values())
        for doc in infos:
            ref = detector.parse(doc.number)
            number_year = ref.year if ref else None
            own_year = None if number_year else (doc.date.year if doc.date else None)
            doc_id = document_id(ref.base_id, number_year, own_year) if ref else slugify(doc.number)
            if not doc_id:
                continue
            info = Document(ref.number if ref else doc.number, data.canonical_type(doc.type) if doc.type else "",
                                doc.date, doc.issuer, doc.title, year=own_year)
            known[doc_id] = _merge(known.get(doc_id), info)
    for doc_id, info in data.documents.items():
        known[doc_id] = _merge(known.get(doc_id), info)
    # A number named without a year in one place and with one (a date) in the other: one document.
    by_number: dict[str, list[str]] = {}
    for doc_id, info in known.items():
        by_number.setdefault(_base_id(detector, info.number), []).append(doc_id)
    for base_id, ids in by_number.items():
        if base_id in ids and len(ids) == 2:
            dated = ids[0] if ids[1] == base_id else ids[1]
            first, then = (dated, base_id) if base_id in data.documents else (base_id, dated)  # the data file wins
            known[dated] = _merge(known[first], known[then])
            del known[base_id]
    return known


def _base_id(detector, number: str) -> str:
    ref = detector.parse(number)
    return ref.base_id if ref else slugify(number)


def _citations(content, article, data: LegalData) -> tuple:
    """The article's citations: those found when it was read (content.citations), or, when the
    documents were read apart from the content, found now in its body."""
    if data is content.legal:
        return content.citations.get(article.source, ())
    return data.citations(article.title, content.bodies.text(article))


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
    # The documents with a year in their id, by the id of their number: known (plans and
    # documents.yml), and cited with their date.
    known_years: dict[str, set[str]] = {}
    for doc_id, info in known.items():
        base_id = _base_id(detector, info.number)
        if doc_id != base_id:
            known_years.setdefault(base_id, set()).add(doc_id)
    cited = [(article, _citations(content, article, data)) for article in build.index.articles]  # newest first
    cited_years: dict[str, set[str]] = {}
    for _, refs in cited:
        for ref in refs:
            if ref.id != ref.base_id:
                cited_years.setdefault(ref.base_id, set()).add(ref.id)
    # A citation that gives no year is the one document of that number staff know of; else the
    # one document with a year of that number; with several (45/KH-SGDĐT of 2024 and of 2025) it
    # stays on the page of the number.
    resolved: dict[str, str] = {}
    for base_id in known_years.keys() | cited_years.keys():
        ids = known_years.get(base_id, set())
        if len(ids) != 1:
            ids = ids | cited_years.get(base_id, set())
        if len(ids) == 1:
            resolved[base_id] = next(iter(ids))

    documents: dict[str, CitedDocument] = {}
    words: dict[str, Counter] = {}
    for article, refs in cited:
        for ref in refs:
            doc_id = resolved.get(ref.base_id, ref.id) if ref.undated else ref.id
            doc = documents.get(doc_id)
            if doc is None:
                info = known.get(doc_id)
                parsed = detector.parse(info.number) if info else None
                code = parsed or ref
                base_id = code.base_id or ref.base_id
                year = code.year or (int(doc_id[len(base_id) + 1:]) if doc_id != base_id else None)
                doc = documents[doc_id] = CitedDocument(
                    id=doc_id,
                    number=info.number if info else code.number,
                    type=(info.type if info else "") or code.code_type,
                    issuer=(info.issuer if info else "") or code.issuer,
                    date=info.date if info else None,
                    title=info.title if info else "",
                    url=info.url if info else "",
                    year=year,
                    dated=code.year is None and year is not None,
                )
                words[doc_id] = Counter()
            if ref.type_word:
                words[doc_id][ref.type_word] += 1
            if not doc.articles or doc.articles[-1] is not article:
                doc.articles.append(article)
    for doc_id, doc in documents.items():
        if not doc.type and words[doc_id]:  # "Luật số 80/2015/QH13": the type is only in the text
            doc.type = words[doc_id].most_common(1)[0][0]
    _link_status(documents, known, detector, resolved)
    by_number: dict[str, list[CitedDocument]] = {}
    for doc in documents.values():
        by_number.setdefault(doc.number, []).append(doc)
    for same in by_number.values():  # one number, several years: the label says which
        if len(same) > 1:
            for doc in same:
                doc.note = f"năm {doc.year}" if doc.year else "không rõ năm"
    return DocumentIndex(data, documents, resolved)


def _document(doc_id: str, info: Document | None, number: str, detector) -> CitedDocument:
    """A document no article cites (a replacement or amendment of one that is), from what is known."""
    parsed = detector.parse(info.number if info else number)
    base_id = parsed.base_id if parsed else doc_id
    year = (parsed.year if parsed else None) or (int(doc_id[len(base_id) + 1:]) if doc_id != base_id else None)
    return CitedDocument(
        id=doc_id, number=info.number if info else (parsed.number if parsed else number),
        type=(info.type if info else "") or (parsed.code_type if parsed else ""),
        issuer=(info.issuer if info else "") or (parsed.issuer if parsed else ""),
        date=info.date if info else None, title=info.title if info else "", url=info.url if info else "",
        year=year, dated=bool(parsed) and parsed.year is None and year is not None, cited=False)


def _id_of(number: str, known: dict, detector, resolved: dict) -> str:
    """The id of the document a documents.yml field names by number."""
    parsed = detector.parse(number)
    if parsed is None:
        return slugify(number)
    if parsed.base_id in known:
        return parsed.base_id
    return resolved.get(parsed.base_id) or next(
        (doc_id for doc_id, info in known.items() if _base_id(detector, info.number) == parsed.base_id), parsed.base_id)


def _link_status(documents: dict[str, CitedDocument], known: dict, detector, resolved: dict) -> None:
    """Validity of each document (documents.yml), and pages for the documents that replaced or
    amended a cited one, so "được thay thế bởi …" always links to a page with that document's facts."""
    queue = list(documents)
    while queue:
        doc = documents[queue.pop(0)]
        info = known.get(doc.id)
        if info is None:
            continue
        doc.effective, doc.expired, doc.status = info.effective, info.expired, info.status
        related = []
        if info.replaced_by:
            doc.replaced_by = _id_of(info.replaced_by, known, detector, resolved)
            related.append((doc.replaced_by, info.replaced_by))
        doc.amended_by = tuple(_id_of(n, known, detector, resolved) for n in info.amended_by)
        related += list(zip(doc.amended_by, info.amended_by))
        for other_id, number in related:
            if other_id not in documents:
                documents[other_id] = _document(other_id, known.get(other_id), number, detector)
                queue.append(other_id)
    for doc in documents.values():
        if doc.replaced_by:
            documents[doc.replaced_by].replaces.append(doc.id)
        for other_id in doc.amended_by:
            documents[other_id].amends.append(doc.id)
    for doc in documents.values():  # newest first, as everywhere documents are listed
        doc.replaces.sort(key=lambda i: documents[i].sort_key())
        doc.amends.sort(key=lambda i: documents[i].sort_key())


def document_index(build) -> DocumentIndex:
    """The index of cited documents, built once per SiteBuild (`SiteBuild.documents`)."""
    return build.documents


def markdown_extension(build) -> LegalLinksExtension:
    """The extension that links citations to the pages this build generates."""
    index = document_index(build)
    return LegalLinksExtension(index.data.detector, index.link_targets())


TYPE_ROOT = DOCUMENT_ROOT + "loai/"  # van-ban/loai/<type>/: one type, by year
YEAR_ROOT = DOCUMENT_ROOT + "nam/"  # van-ban/nam/<year>/: one year, by type


def type_url(type_name: str) -> str:
    return f"{TYPE_ROOT}{slugify(type_name) or 'khac'}/"


def year_url(year: int) -> str:
    return f"{YEAR_ROOT}{year}/"


def _ref(index: DocumentIndex, doc_id: str) -> dict:
    other = index.documents[doc_id]
    return {"label": other.label, "url": document_url(other.id), "title": other.title}


def status_view(doc: CitedDocument, index: DocumentIndex, today: dt.date) -> dict | None:
    """What a citizen reads about a document's validity on `today` (None: documents.yml says nothing).

    `expired` in the future is still in force; `effective` in the future is not in force yet."""
    replaced = _ref(index, doc.replaced_by) if doc.replaced_by else None
    if doc.expired and doc.expired > today:
        view = {"key": "in-force", "text": "Còn hiệu lực", "note": f"hết hiệu lực từ ngày {format_short_date(doc.expired)}"}
    elif doc.status == EXPIRED or doc.expired:
        view = {"key": "expired", "note": "",
                "text": f"Hết hiệu lực từ ngày {format_short_date(doc.expired)}" if doc.expired else "Hết hiệu lực"}
    elif doc.effective and doc.effective > today:
        view = {"key": "pending", "text": "Chưa có hiệu lực", "note": f"có hiệu lực từ ngày {format_short_date(doc.effective)}"}
    elif doc.status == IN_FORCE:
        view = {"key": "in-force", "text": "Còn hiệu lực", "note": ""}
    else:
        return None if not replaced else {"key": "expired", "text": "Hết hiệu lực", "note": "", "replaced_by": replaced}
    view["replaced_by"] = replaced
    return view


def _row(doc: CitedDocument, index: DocumentIndex | None = None, today: dt.date | None = None) -> dict:
    row = {
        "id": doc.id,
        "url": document_url(doc.id),
        "label": doc.label,
        "number": doc.number,
        "type": doc.type,
        "issuer": doc.issuer,
        "title": doc.title,
        "date_text": format_short_date(doc.date) if doc.date else "",
        "date_iso": doc.date.isoformat() if doc.date else "",
        "year_text": str(doc.year) if doc.dated and not doc.date else "",
        "official_url": doc.url,
        "count": len(doc.articles),
        "cited": doc.cited,
    }
    if index is not None:
        row.update({
            "status": status_view(doc, index, today),
            "effective_text": format_short_date(doc.effective) if doc.effective else "",
            "amended_by": [_ref(index, i) for i in doc.amended_by],
            "replaces": [_ref(index, i) for i in doc.replaces],
            "amends": [_ref(index, i) for i in doc.amends],
        })
    return row


def _groups(docs: list[CitedDocument], index: DocumentIndex, today: dt.date, by: str) -> list[dict]:
    """Rows grouped by type (Vietnamese order, unknown types last) or by year (newest first)."""
    grouped: dict = {}
    for doc in docs:
        key = (doc.type or OTHER_TYPE) if by == "type" else doc.issued_year
        grouped.setdefault(key, []).append(doc)
    if by == "type":
        keys = sorted(grouped, key=lambda k: (k == OTHER_TYPE, sort_key(k)))
        return [{"name": k, "anchor": "loai-" + (slugify(k) or "khac"), "count": len(grouped[k]),
                 "documents": [_row(d, index, today) for d in grouped[k]]} for k in keys]
    keys = sorted(grouped, key=lambda k: (k is None, -(k or 0)))
    return [{"name": f"Năm {k}" if k else "Không rõ năm", "anchor": f"nam-{k}" if k else "nam-khac",
             "count": len(grouped[k]), "documents": [_row(d, index, today) for d in grouped[k]]} for k in keys]


def _browse(index: DocumentIndex) -> dict:
    """The two ways through the documents, on every listing page: by type and by year."""
    docs = index.sorted_documents()
    types: dict[str, int] = {}
    years: dict[int, int] = {}
    for doc in docs:
        types[doc.type or OTHER_TYPE] = types.get(doc.type or OTHER_TYPE, 0) + 1
        if doc.issued_year:
            years[doc.issued_year] = years.get(doc.issued_year, 0) + 1
    return {
        "types": [{"name": t, "url": type_url(t), "count": types[t]}
                  for t in sorted(types, key=lambda k: (k == OTHER_TYPE, sort_key(k)))],
        "years": [{"name": str(y), "url": year_url(y), "count": years[y]} for y in sorted(years, reverse=True)],
    }


def generate(build) -> Iterable[PageOutput]:
    index = document_index(build)
    today = build.now.date()
    docs = index.sorted_documents()
    browse = _browse(index)
    cited = sum(1 for d in docs if d.cited)
    yield PageOutput(url=DOCUMENT_ROOT, title="Văn bản", template="cchc/documents.html", kind="documents",
                     description="Các văn bản pháp luật, văn bản hành chính được nhắc đến trong tin cải cách hành chính.",
                     context={"heading": "Văn bản", "groups": _groups(docs, index, today, "type"), "total": len(docs),
                              "cited": cited, "browse": browse, "index_url": DOCUMENT_ROOT})
    for entry in browse["types"]:
        chosen = [d for d in docs if (d.type or OTHER_TYPE) == entry["name"]]
        yield PageOutput(url=entry["url"], title=f"Văn bản: {entry['name']}", template="cchc/documents.html",
                         kind="documents-type", description=f"{entry['name']} được nhắc đến trong tin cải cách hành chính.",
                         context={"heading": entry["name"], "groups": _groups(chosen, index, today, "year"),
                                  "total": len(chosen), "browse": browse, "current": entry["url"],
                                  "index_url": DOCUMENT_ROOT})
    for entry in browse["years"]:
        chosen = [d for d in docs if d.issued_year == int(entry["name"])]
        yield PageOutput(url=entry["url"], title=f"Văn bản ban hành năm {entry['name']}", template="cchc/documents.html",
                         kind="documents-year",
                         description=f"Văn bản ban hành năm {entry['name']} được nhắc đến trong tin cải cách hành chính.",
                         context={"heading": f"Văn bản ban hành năm {entry['name']}",
                                  "groups": _groups(chosen, index, today, "type"), "total": len(chosen),
                                  "browse": browse, "current": entry["url"], "index_url": DOCUMENT_ROOT})
    for doc in docs:
        row = _row(doc, index, today)
        description = doc.title or f"Các tin có nhắc đến {doc.label}."
        for pager, items in paginate(doc.articles, build.settings.page_size, document_url(doc.id)):
            title = doc.label if pager.number == 1 else f"{doc.label} – Trang {pager.number}"
            yield PageOutput(url=pager.url, title=title, template="cchc/documents.html", kind="document",
                             description=description,
                             context={"heading": doc.label, "document": row, "total": len(doc.articles),
                                      "cards": [build.card(a) for a in items], "pager": pager_context(pager),
                                      "index_url": DOCUMENT_ROOT, "type_url": type_url(doc.type or OTHER_TYPE)})
