"""The nginx configuration that serves the published site (`cchc nginx`; the sample's copy is
scripts/nginx/cchc.conf, kept equal by tests/test_publish_web.py).

It is made from mkdocs.yml rather than edited by hand because three things in it must agree with
the site: the path (from `site_url`), the folder (`extra.cchc.publish.path` + `/current`, the
link `cchc publish` switches) and the video players articles may embed (`iframe_hosts`, which the
Content-Security-Policy must allow as frames).  The administrator includes the file inside the
department's `server { … }` block; see README.md, "Web server (nginx)".

What it does:
  - `location ^~ <path>`: no regular-expression location of the server (a PHP or CGI handler of
    the department's portal) ever sees a path of the site; every file is only sent, never run;
  - `gzip_static`: the `.gz` copies written by the build (cchc.precompress) are sent as they are;
  - the Vietnamese 404 page; no directory listings; dot-files (the build manifest) not served;
  - cache: names with a content fingerprint (Material's bundle, Pagefind's index) a year,
    `immutable`; pages, feeds and the search entry `no-cache` (always revalidated: a
    publication or a rollback shows at once); other files an hour;
  - security headers on every answer: a Content-Security-Policy (scripts and styles from the site
    only: the templates have no inline script or style; WebAssembly for Pagefind; frames only from
    `iframe_hosts`; not framed by other sites), X-Content-Type-Options, Referrer-Policy,
    X-Frame-Options, Permissions-Policy;
  - files staff put beside articles (under tin-tuc/: images, attachments): HTML, SVG and XML
    are shown in a sandbox with no script, scripts are sent as plain text (never run).
"""

from __future__ import annotations

from urllib.parse import urlparse

ARTICLES_FOLDER = "tin-tuc/"  # cchc.urls: article pages and the files staff put beside them
REFERRER_POLICY = "strict-origin-when-cross-origin"  # video players (YouTube) need the origin
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
INERT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
YEAR = "public, max-age=31536000, immutable"
HOUR = "public, max-age=3600"
ALWAYS_CHECK = "no-cache"


def site_path(site_url: str) -> str:
    path = urlparse(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def frame_sources(iframe_hosts) -> list[str]:
    """`host/path-prefix` entries of extra.cchc.iframe_hosts as CSP sources (https only)."""
    sources = []
    for entry in iframe_hosts:
        entry = str(entry).strip()
        if entry and not entry.startswith("https://"):
            entry = "https://" + entry.split("://", 1)[-1]
        if entry and entry not in sources:
            sources.append(entry)
    return sources


def content_security_policy(iframe_hosts) -> str:
    """The site's policy.  style-src-attr 'unsafe-inline': articles keep the formatting attributes
    the sanitiser allows (text-align, colour … in style="", cchc.sanitize), which cannot run code
    or load anything; <style> elements stay forbidden."""
    frames = " ".join(frame_sources(iframe_hosts)) or "'none'"
    return ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
            "style-src-attr 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; "
            f"media-src 'self'; frame-src {frames}; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")


def _headers(indent: str, cache: str, csp: str | None) -> str:
    lines = [f'add_header Cache-Control "{cache}" always;']
    if csp:
        lines.append(f'add_header Content-Security-Policy "{csp}" always;')
    lines += ['add_header X-Content-Type-Options "nosniff" always;',
              f'add_header Referrer-Policy "{REFERRER_POLICY}" always;',
              'add_header X-Frame-Options "SAMEORIGIN" always;',
              f'add_header Permissions-Policy "{PERMISSIONS_POLICY}" always;']
    return "".join(f"{indent}{line}\n" for line in lines)


def render(*, site_url: str, root: str, iframe_hosts, source: str = "mkdocs.yml") -> str:
    path = site_path(site_url)
    root = root.rstrip("/") + "/"
    csp = content_security_policy(iframe_hosts)
    articles = path + ARTICLES_FOLDER
    i1, i2, i3 = " " * 4, " " * 8, " " * 12
    redirect = "" if path == "/" else (
        f"location = {path.rstrip('/')} {{\n{i1}return 301 {path};\n}}\n\n")
    return f"""# nginx: the CCHC news site at {path} (made by `cchc nginx` from {source}; README.md, "Web server (nginx)").
# Include inside the department's server {{ … }} block:   include /etc/nginx/snippets/cchc.conf;
# {root} is the link `cchc publish` switches to each new release (keep open_file_cache off for
# that folder, or a switch shows only when the cache expires).

{redirect}# ^~: no regular-expression location of the server (PHP, CGI …) ever sees a path of the site.
location ^~ {path} {{
{i1}alias {root};
{i1}index index.html;
{i1}autoindex off;
{i1}absolute_redirect off;
{i1}charset utf-8;
{i1}charset_types text/css text/xml text/plain application/javascript application/json application/rss+xml application/atom+xml image/svg+xml;
{i1}gzip_static on;  # page.html.gz written by the build (cchc.precompress)
{i1}gzip_vary on;
{i1}error_page 403 404 =404 {path}404.html;
{_headers(i1, ALWAYS_CHECK, csp)}
{i1}# Dot-files (the build manifest): not served.
{i1}location ~ /\\. {{
{i2}return 404;
{i1}}}
{i1}# Names with a content fingerprint never change: a year.
{i1}location ~ "\\.[0-9a-f]{{8,}}\\.min\\.(css|js)$|\\.pf_(fragment|index|meta)$" {{
{_headers(i2, YEAR, csp)}{i1}}}
{i1}# Other assets (the site's stylesheet and scripts, images, the search program): an hour.
{i1}location ~* "\\.(css|js|map|png|jpe?g|gif|webp|avif|svg|ico|woff2?|pagefind)$" {{
{_headers(i2, HOUR, csp)}{i1}}}

{i1}# Article pages, and the files staff put beside them (images, attachments): those are never
{i1}# run. HTML, SVG and XML are shown in a sandbox without scripts; scripts are plain text.
{i1}location ^~ {articles} {{
{_headers(i2, HOUR, None)}
{i2}location ~ /\\. {{
{i3}return 404;
{i2}}}
{i2}location ~ /index\\.html$ {{
{_headers(i3, ALWAYS_CHECK, csp)}{i2}}}
{i2}location ~* "\\.(html?|xht(ml)?|svgz?|xml|xslt?)$" {{
{_headers(i3, HOUR, INERT_CSP)}{i2}}}
{i2}location ~* "\\.(m?js|cjs)$" {{
{i3}types {{ }}
{i3}default_type text/plain;
{_headers(i3, HOUR, INERT_CSP)}{i2}}}
{i1}}}
}}
"""
