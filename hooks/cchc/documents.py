"""A legal or administrative document, as the data files describe it.

One type for every place that says something about a document: a plan's `documents:` and the
plan it implements (content/plans/*.yml, cchc.plan) and content/documents.yml (cchc.legal).  Each
fills what it knows; the document index (cchc.generators.legal) merges what they say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

IN_FORCE = "in_force"
EXPIRED = "expired"


@dataclass(frozen=True)
class Document:
    number: str  # canonical: "06/2023/NĐ-CP"
    type: str = ""  # "Nghị định"
    date: dt.date | None = None  # of issue
    issuer: str = ""
    title: str = ""  # trích yếu
    url: str = ""  # official text (https)
    year: int | None = None  # documents.yml `year:` (numbers without a year)
    aliases: tuple[str, ...] = ()  # other spellings of the number met in articles ("26/CTTTg")
    # Validity (documents.yml): when it took effect and stopped; which document replaced it or
    # amended it (canonical numbers).  `status` is IN_FORCE, EXPIRED or "" (not said).
    effective: dt.date | None = None
    expired: dt.date | None = None
    status: str = ""
    replaced_by: str = ""
    amended_by: tuple[str, ...] = ()
