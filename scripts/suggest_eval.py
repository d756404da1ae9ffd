"""Leave-one-out measure of `cchc import`'s category and unit suggestions on the sample articles.

    .venv/bin/python scripts/suggest_eval.py [content]

For each article of the content folder, the suggestion is made from the plan and every other
article (as if this one were being imported) and compared with the categories and unit the
article really has.  The README quotes these lines; tests/test_suggest.py checks they match.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cchc.content import load_content
from cchc.suggest import leave_one_out, leave_one_out_units


def lines(content_dir: Path) -> list[str]:
    content = load_content(content_dir)
    return [
        leave_one_out(content.articles, content.bodies, content.plans).line("categories"),
        leave_one_out(content.articles, content.bodies, content.plans, plan_only=True).line("categories from the plan alone"),
        leave_one_out_units(content.articles, content.bodies, content.units).line("unit"),
    ]


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "content"
    print("\n".join(lines(folder)))
