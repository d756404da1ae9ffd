"""Tables in article bodies, readable on a 390-px phone without losing a column.

A wide table (results by unit, by quarter …) is wider than a phone.  Each table of an article
is put in a box that scrolls sideways on its own, so the page does not, and the box is:

- a region named after the table ("Bảng 2: Đơn vị, Hồ sơ tiếp nhận, …", or its caption), so a
  screen reader user knows what it holds and can jump to it;
- focusable (tabindex="0"), so a keyboard user can scroll it with the arrow keys (WCAG 2.1.1;
  axe's `scrollable-region-focusable`).

docs/assets/cchc.css (`.cchc-table-wrap`) makes the box the only scrolling element (Material's
own table wrapper inside it does not scroll) and shades the edge where more columns are hidden.
Stacked rows (each row a card of "header: value" lines) were tried too and not kept: results
tables are read by comparing rows, which cards on a phone make hard (notes in the README).

Runs on the sanitised body HTML (cchc.convert), so the attributes it adds are not filtered.
"""

from __future__ import annotations

import html
import re

_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.I | re.S)
_FIRST_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.I | re.S)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
MAX_LABEL = 120  # characters of header text in a region's name


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def table_label(table_html: str, number: int) -> str:
    """"Bảng 2: Đơn vị, Hồ sơ tiếp nhận, …" from the caption, else the first row's cells."""
    caption = _CAPTION.search(table_html)
    if caption and _text(caption.group(1)):
        return f"Bảng {number}: {_text(caption.group(1))}"[: MAX_LABEL + 10]
    row = _FIRST_ROW.search(table_html)
    cells = [_text(c) for c in _CELL.findall(row.group(1))] if row else []
    heads = ", ".join(c for c in cells if c)
    if len(heads) > MAX_LABEL:
        heads = heads[:MAX_LABEL].rsplit(" ", 1)[0] + " …"
    return f"Bảng {number}: {heads}" if heads else f"Bảng {number}"


def wrap_tables(body: str) -> str:
    """Every outermost <table> of `body` inside a named, focusable scrolling region."""
    if "<table" not in body and "<TABLE" not in body:
        return body
    out: list[str] = []
    depth, start, last, number = 0, 0, 0, 0
    for match in _TABLE_TAG.finditer(body):
        if not match.group(1):  # <table …>
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth:  # </table>
            depth -= 1
            if depth == 0:
                number += 1
                table = body[start:match.end()]
                label = html.escape(table_label(table, number), quote=True)
                out.append(body[last:start])
                out.append(f'<div class="cchc-table-wrap cchc-table-wrap--article" role="region" '
                           f'aria-label="{label}" tabindex="0">{table}</div>')
                last = match.end()
    out.append(body[last:])
    return "".join(out)
