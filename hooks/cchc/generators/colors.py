"""extra.cchc.colors as a stylesheet file, `assets/cchc-colors.css`, linked by overrides/main.html
after docs/assets/cchc.css (so it wins): a file rather than an inline <style>, so that the site's
Content-Security-Policy allows styles from the site only (scripts/nginx/cchc.conf).

The values were checked by cchc.settings (#rgb/#rrggbb, 4.5:1 against white).
"""

from __future__ import annotations

from typing import Iterable

from ..outputs import AssetOutput

COLORS_CSS = "assets/cchc-colors.css"


def stylesheet(colors: tuple[tuple[str, str], ...]) -> bytes:
    values = dict(colors)
    rules = []
    if values.get("primary"):
        c = values["primary"]
        rules.append(f"--md-primary-fg-color:{c};--md-primary-fg-color--light:{c};--md-primary-fg-color--dark:{c};")
    if values.get("accent"):
        c = values["accent"]
        rules.append(f"--md-accent-fg-color:{c};--md-typeset-a-color:{c};")
    return (":root,[data-md-color-scheme=default]{" + "".join(rules) + "}\n").encode("ascii")


def generate(build) -> Iterable[AssetOutput]:
    if build.settings.colors:
        yield AssetOutput(path=COLORS_CSS, content=stylesheet(build.settings.colors))
