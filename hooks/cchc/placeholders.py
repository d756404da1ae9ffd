"""Text the tools write for staff to replace: the starter text of `cchc new` and the
description `cchc import` gives an image Word had none for.

Each is recognisable (`find`), so `cchc check` can refuse to publish an article that still
has it.  The starter text names no document: an article left unchanged must not appear on a
cited document's page or feed.
"""

from __future__ import annotations

import re
import unicodedata

# Every instruction paragraph starts with this sign, so staff see at a glance what to replace.
MARK = "✎"

STARTER_PARAGRAPHS = (
    f"{MARK} Viết câu mở đầu tóm tắt sự kiện: ai, làm gì, ở đâu, khi nào (câu này dùng làm tóm tắt nếu để trống summary).",
    f"{MARK} Trình bày diễn biến, kết quả, số liệu. Khi nhắc văn bản, ghi đủ loại văn bản, số, ký hiệu, ngày "
    "và cơ quan ban hành để trang tự liên kết tới văn bản đó.",
    f"{MARK} Nêu nhiệm vụ, kế hoạch tiếp theo (nếu có).",
)

STARTER_BODY = (
    f"{STARTER_PARAGRAPHS[0]}\n\n"
    "## Nội dung chính\n\n"
    f"{STARTER_PARAGRAPHS[1]}\n\n"
    "## Thời gian tới\n\n"
    f"{STARTER_PARAGRAPHS[2]}\n"
)

# The starter text of earlier versions of `cchc new`, still in articles created with them.
_OLD_STARTER = (
    "Viết câu mở đầu tóm tắt sự kiện: ai, làm gì, ở đâu, khi nào (câu này dùng làm tóm tắt nếu để trống summary).",
    "Trình bày diễn biến, kết quả, số liệu. Khi nhắc văn bản, ghi đủ số hiệu, ví dụ: Nghị định số 06/2023/NĐ-CP.",
    "Nêu nhiệm vụ, kế hoạch tiếp theo (nếu có).",
)

# The description `cchc import` writes for an image without one (a visible reminder that
# passes the "no alt" check of a draft, and stops publication).
MISSING_ALT = "CẦN VIẾT MÔ TẢ ẢNH"


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", line)).strip()


_STARTER_KEYS = frozenset(_key(p) for p in STARTER_PARAGRAPHS + _OLD_STARTER)


def starter_lines(masked_body: str) -> list[int]:
    """0-based body lines that are starter text of `cchc new` (or start with its sign ✎)."""
    if MARK not in masked_body and not any(key[:24] in masked_body for key in _STARTER_KEYS):
        return []  # one scan per starter sentence instead of a look at every line
    found = []
    for number, line in enumerate(masked_body.split("\n")):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(MARK) or _key(stripped) in _STARTER_KEYS:
            found.append(number)
    return found


def missing_alt_offsets(masked_body: str) -> list[int]:
    """Offsets of images whose description is still the placeholder of `cchc import`."""
    return [m.start() for m in re.finditer(r"!\[" + re.escape(MISSING_ALT), masked_body)]
