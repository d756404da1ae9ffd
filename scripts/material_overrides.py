#!/usr/bin/env python3
"""The Material templates this project overrides (overrides/*.html), made from the installed,
pinned Material: each is Material's own template with the replacements below and a header
saying why.

    .venv/bin/python scripts/material_overrides.py          # write overrides/ from Material
    .venv/bin/python scripts/material_overrides.py --check  # exit 1 if overrides/ differs

tests/test_accessibility.py checks that overrides/ is what this script writes, so a Material
upgrade (or a hand edit) cannot silently drift from the intended changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MATERIAL_HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
MATERIAL_OVERRIDES = {
    "base.html": ('''{#-
  Material for MkDocs 9.8.2's base.html with accessibility changes, marked "cchc:".
  scripts/material_overrides.py writes this file from the installed Material's base.html, and
  tests/test_accessibility.py fails if they differ, so a Material upgrade cannot silently drift.
  1. No autocomplete="off" on the drawer/search checkboxes: the attribute is not allowed on
     checkboxes (Nu HTML Checker error on every page).
  2. The skip link is on every page, not only on pages with a table of contents; it goes to the
     main content (#__noi-dung) rather than to the first subheading of the article body, and it
     comes first in the page, before the menu checkbox.
  3. The main content (.md-content) is the skip link's target: id="__noi-dung" tabindex="-1".
  4. The menu (drawer) checkbox has a name: on narrow screens it is the keyboard's menu button
     (docs/assets/cchc.css, accessibility section).
  5. Speed, not accessibility: parts that are the same on many pages are rendered once per key
     (cchc_once, hooks/cchc_mkdocs/templates.py): the tabs, the navigation and the footer once per set of
     relative links on pages outside the navigation (nav_key); the stylesheets, the theme's
     configuration and the scripts once per depth (base_url).
  6. Speed: the translations (`lang`) are made once per build, not imported on every page
     (Translations, hooks/cchc_mkdocs/templates.py).
-#}
''', [
        ('{% import "partials/language.html" as lang with context %}\n', ''),
        ('            {% include "partials/tabs.html" %}',
         '            {% call cchc_once("tabs", cchc_nav_key) %}{% include "partials/tabs.html" %}{% endcall %}'),
        ('                    {% include "partials/nav.html" %}',
         '                    {% call cchc_once("nav", cchc_nav_key) %}{% include "partials/nav.html" %}{% endcall %}{# cchc: 5 #}'),
        ('    {% block styles %}\n', '    {% block styles %}{% call cchc_once("styles", base_url) %}\n'),
        ('      {% include "partials/icons.html" %}\n    {% endblock %}',
         '      {% include "partials/icons.html" %}\n    {% endcall %}{% endblock %}'),
        ('        {% include "partials/footer.html" %}',
         '        {% call cchc_once("footer", cchc_nav_key) %}{% include "partials/footer.html" %}{% endcall %}'),
        ('    {% block config %}\n', '    {% block config %}{% call cchc_once("config", base_url) %}\n'),
        ('      </script>\n    {% endblock %}\n    {% block scripts %}\n',
         '      </script>\n    {% endcall %}{% endblock %}\n    {% block scripts %}{% call cchc_once("scripts", base_url) %}\n'),
        ('      {% for script in config.extra_javascript %}\n        {{ script | script_tag }}\n      {% endfor %}\n    {% endblock %}',
         '      {% for script in config.extra_javascript %}\n        {{ script | script_tag }}\n      {% endfor %}\n    {% endcall %}{% endblock %}'),
        ('''    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
    <label class="md-overlay" for="__drawer"></label>
    <div data-md-component="skip">
      {% if page.toc | first is defined %}
        {% set skip = page.toc | first %}
        <a href="{{ skip.url | url }}" class="md-skip">
          {{ lang.t("action.skip") }}
        </a>
      {% endif %}
    </div>
''', '''    {#- cchc: 2 -#}
    <div data-md-component="skip">
      <a href="#__noi-dung" class="md-skip">
        {{ lang.t("action.skip") }}
      </a>
    </div>
    {#- cchc: 1, 4 -#}
    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" aria-label="Hiện menu điều hướng">
    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">
    <label class="md-overlay" for="__drawer"></label>
'''),
        ('<div class="md-content" data-md-component="content">',
         '<div class="md-content" data-md-component="content" id="__noi-dung" tabindex="-1">{#- cchc: 3 -#}'),
    ]),
    "partials/nav-item.html": ('''{#-
  Material for MkDocs 9.8.2's partials/nav-item.html with one change, marked "cchc:" (written by
  scripts/material_overrides.py from the installed Material): section labels rendered
  tabindex="" (an invalid value: Nu HTML Checker error); now the attribute is left out instead.
-#}
''', [
        (' tabindex="{{ tabindex }}">',
         '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>{#- cchc: no empty tabindex -#}'),
    ]),
    "partials/toc.html": ('''{#-
  Material for MkDocs 9.8.2's partials/toc.html with one change, marked "cchc:" (written by
  scripts/material_overrides.py from the installed Material): the "Mục lục" title is a <label> for the
  __toc checkbox only on pages in the navigation, the only pages where partials/nav-item.html
  renders that checkbox; elsewhere (articles, du-lieu-mo) a label pointing at nothing is invalid
  HTML (Nu HTML Checker error), so the title is a plain <span> with the same look.
-#}
''', [
        ('''    <label class="md-nav__title" for="__toc">
      <span class="md-nav__icon md-icon"></span>
      {{ title }}
    </label>
''', '''    {#- cchc: the checkbox exists only for pages in the navigation -#}
    {% if page in nav.pages %}
    <label class="md-nav__title" for="__toc">
      <span class="md-nav__icon md-icon"></span>
      {{ title }}
    </label>
    {% else %}
    <span class="md-nav__title">
      {{ title }}
    </span>
    {% endif %}
'''),
    ]),
}


def material_templates() -> Path:
    import material

    return Path(material.__file__).resolve().parent / "templates"


def patched(name: str) -> str:
    header, replacements = MATERIAL_OVERRIDES[name]
    text = (material_templates() / name).read_text(encoding="utf-8")
    for old, new in [(MATERIAL_HEADER, header), *replacements]:
        if old not in text:
            raise SystemExit(f"Material's {name} changed: {old[:60]!r} not found; update MATERIAL_OVERRIDES "
                             "in scripts/material_overrides.py")
        text = text.replace(old, new)
    return text


def write_overrides() -> None:
    for name in MATERIAL_OVERRIDES:
        (ROOT / "overrides" / name).write_text(patched(name), encoding="utf-8")




def main(argv: list[str]) -> int:
    check = "--check" in argv
    differs = []
    for name in MATERIAL_OVERRIDES:
        target = ROOT / "overrides" / name
        text = patched(name)
        if check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                differs.append(name)
        else:
            target.write_text(text, encoding="utf-8")
    for name in differs:
        print(f"overrides/{name} khác với bản tạo từ Material: chạy python scripts/material_overrides.py")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
