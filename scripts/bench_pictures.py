"""`make bench`, pictures: what a phone photo costs the build and the reader (issue 15).

    python scripts/bench.py --pictures-only      # this part alone

* the sample site plus one article whose image is a 4000×3000 phone photo (EXIF orientation 6,
  GPS, phone model; ~3 MB), built twice with a fresh cache: the first build's image time per
  photo (the build log's "Ảnh: …" line), and the second build's (no image work: 0);
* that article loaded in Chromium (Playwright + Debian's chromium, as the search measurement)
  at a 390×844 phone viewport (device pixel ratio 1 and 3) and at 1366×768: the sum of every
  response (headers and bodies) until the network is idle, text files sent gzip-compressed as
  the site's nginx configuration sends them; budget ≤ 300 KB at 390 px;
* how the image work is best spread over two cores: the same photos made one after another,
  by two threads (Pillow releases the GIL while it decodes, resizes and encodes) and by two
  helper processes (`python -m …`, as the body conversion).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_browser import LAUNCH_ARGS, QuietHandler, find_browser

BUDGET_BYTES = 300 * 1000
PHOTO_SIZE = (4000, 3000)
ARTICLE = "news/2026/01/anh-dien-thoai-do-luong.md"
ARTICLE_URL = "tin-tuc/2026/01/anh-dien-thoai-do-luong/"
IMAGE_LINE = re.compile(r"Ảnh: (\d+) ảnh xử lý mới \(([\d.]+) giây\), (\d+) ảnh dùng lại")


def phone_photo(path: Path, seed: int = 1, size: tuple[int, int] = PHOTO_SIZE) -> Path:
    """A photo-like 4000×3000 JPEG as a phone stores it: soft shapes, gradients and sensor noise
    (so it compresses like a photo, ~3 MB at quality 92), on its side (EXIF orientation 6), with
    the phone's make, model and a GPS position."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    small = (width // 4, height // 4)
    base = Image.merge("RGB", (Image.linear_gradient("L").resize(small),
                               Image.linear_gradient("L").rotate(90).resize(small),
                               Image.effect_noise(small, 40)))
    draw = ImageDraw.Draw(base)
    for _ in range(120):
        x, y, r = rng.randrange(small[0]), rng.randrange(small[1]), rng.randrange(10, 120)
        draw.ellipse((x, y, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    photo = base.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BICUBIC)
    photo = Image.blend(photo, Image.effect_noise(size, 30).convert("RGB"), 0.12)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X"
    exif[0x8825] = {1: "N", 2: (10.0, 14.0, 30.5), 3: "E", 4: (106.0, 22.0, 5.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


def _site(workdir: Path, code: Path, write_config) -> Path:
    """The sample content plus the measured article (its own image folder, as `cchc new` makes)."""
    content = workdir / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(code / "content", content)
    phone_photo(content / "news/2026/01/images/anh-dien-thoai-do-luong/hoi-nghi.jpg")
    (content / ARTICLE).write_text(
        "---\n"
        'title: "Hội nghị triển khai công tác cải cách hành chính (ảnh điện thoại)"\n'
        "slug: anh-dien-thoai-do-luong\n"
        "date: 2026-01-10 08:30\n"
        "categories: [thu-tuc-hanh-chinh]\n"
        "unit: van-phong\n"
        "image: images/anh-dien-thoai-do-luong/hoi-nghi.jpg\n"
        'image_alt: "Quang cảnh hội nghị"\n'
        "---\n\n"
        "Sáng 10/1, Sở Giáo dục và Đào tạo tổ chức hội nghị triển khai công tác cải cách hành chính.\n\n"
        + "Các đại biểu thảo luận về thủ tục hành chính, dịch vụ công trực tuyến và chuyển đổi số. " * 12 + "\n",
        encoding="utf-8")
    return write_config(workdir, content)


def page_transfer(site: Path, page_rel: str, viewports: dict) -> dict | None:
    """Bytes Chromium transfers for one page (every response: headers and body) until the
    network is idle, per viewport; None when Playwright or Debian's chromium is missing."""
    found = find_browser()
    if found is None:
        return None
    chromium, sync_playwright = found
    import functools
    import http.server

    class Quiet(QuietHandler):
        """Sends text files gzip-compressed when the browser accepts it, as nginx does with the
        .gz copies `cchc build` writes (gzip_static; cchc.precompress, level 6); images as they are."""

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if (path.suffix.lower() in COMPRESSED and path.is_file()
                    and "gzip" in self.headers.get("Accept-Encoding", "")):
                data = gzip_bytes(path.read_bytes())
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                import io

                return io.BytesIO(data)
            return super().send_head()

    from cchc.precompress import COMPRESSIBLE_SUFFIXES as COMPRESSED, gzip_bytes

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page_rel}"
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(LAUNCH_ARGS))
            for name, (width, height, scale) in viewports.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
                tab = context.new_page()
                seen: list[tuple[str, int]] = []

                def finished(request, seen=seen):
                    sizes = request.sizes()
                    seen.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

                tab.on("requestfinished", finished)
                tab.goto(url, wait_until="networkidle")
                tab.wait_for_timeout(300)
                images = [(u.rsplit("/", 1)[-1], b) for u, b in seen if re.search(r"\.(webp|jpe?g|png|gif)$", u)]
                results[name] = {"bytes": sum(b for _u, b in seen), "requests": len(seen), "images": images,
                                 "image_bytes": sum(b for _u, b in images),
                                 "responses": [(u.split("/", 3)[-1], b) for u, b in seen],
                                 "viewport": [width, height], "device_scale_factor": scale}
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def _render_share(paths: list[str], out: str) -> None:
    """Helper process: make the derivatives of `paths` into `out` (python -c, like the body
    conversion's `python -m` helpers)."""
    from cchc import pictures

    settings = pictures.PictureSettings()
    for path in paths:
        facts = pictures.probe(Path(path))
        plan = pictures.Plan(stem=Path(path).stem + "-0123456789", width=facts.width, height=facts.height, cover=True)
        folder = Path(out) / Path(path).stem
        folder.mkdir(parents=True, exist_ok=True)
        pictures.render(Path(path), folder, plan, settings)


def spread(photos: list[Path], hooks: Path) -> dict:
    """Seconds to make every derivative of `photos`: one after another, two threads, two processes."""
    from cchc import pictures

    settings = pictures.PictureSettings()

    def one(path: Path, out: Path) -> None:
        facts = pictures.probe(path)
        plan = pictures.Plan(stem=path.stem + "-0123456789", width=facts.width, height=facts.height, cover=True)
        folder = out / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        pictures.render(path, folder, plan, settings)

    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        for path in photos:
            one(path, out / "seq")
        result["sequential_s"] = time.perf_counter() - start
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda p: one(p, out / "threads"), photos))
        result["threads_2_s"] = time.perf_counter() - start
        start = time.perf_counter()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
        script = ("import sys; sys.path.insert(0, {s!r}); from bench_pictures import _render_share; "
                  "_render_share(sys.argv[2:], sys.argv[1])").format(s=str(Path(__file__).resolve().parent))
        procs = [subprocess.Popen([sys.executable, "-c", script, str(out / f"proc{i}"), *map(str, photos[i::2])],
                                  env=env) for i in range(2)]
        codes = [proc.wait() for proc in procs]
        result["processes_2_s"] = time.perf_counter() - start if not any(codes) else None
    result["photos"] = len(photos)
    return result


def measure(workdir: Path, code: Path, write_config, build_env, run_measured, bin_dir: Path, log) -> dict:
    """The picture part of the benchmark (see the module's docstring)."""
    if str(code / "hooks") not in sys.path:
        sys.path.insert(0, str(code / "hooks"))  # the measured code's cchc, for the timings made here
    workdir.mkdir(parents=True, exist_ok=True)
    config = _site(workdir, code, write_config)
    for name in ("site", "cache"):
        shutil.rmtree(workdir / name, ignore_errors=True)
    builds = []
    for i in range(2):
        run = run_measured([str(bin_dir / "mkdocs"), "build", "-f", str(config)], cwd=workdir,
                           env=build_env(workdir / "cache"), log_path=workdir / f"pictures-build-{i}.log")
        text = Path(run["log"]).read_text(encoding="utf-8", errors="replace")
        found = IMAGE_LINE.search(text)
        run["images_made"], run["image_s"], run["images_reused"] = (
            (int(found.group(1)), float(found.group(2)), int(found.group(3))) if found else (None, None, None))
        builds.append(run)
        log(f"    build {i + 1}: {run['wall_s']:.2f} s, images made {run['images_made']} in {run['image_s']} s, "
            f"reused {run['images_reused']}")
    first, second = builds
    made = first["images_made"] or 0
    result = {
        "photo": {"size": list(PHOTO_SIZE),
                  "bytes": (workdir / "content/news/2026/01/images/anh-dien-thoai-do-luong/hoi-nghi.jpg").stat().st_size},
        "builds": builds,
        # the sample's five small pictures are made in the same first build: the phone photo is
        # timed on its own below; this is the build's whole image time divided by its images
        "first_build_image_s_per_image": (first["image_s"] / made) if made else None,
        "second_build_image_s": second["image_s"],
        "second_build_images_made": second["images_made"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        photo = phone_photo(Path(tmp) / "p.jpg", seed=2)
        timing = spread([photo], code / "hooks")
        result["phone_photo_s"] = timing["sequential_s"]
    log(f"    one 4000×3000 phone photo: {result['phone_photo_s']:.2f} s")
    transfer = page_transfer(workdir / "site", ARTICLE_URL, {
        "phone 390×844": (390, 844, 1), "phone 390×844 ×3": (390, 844, 3), "desktop 1366×768": (1366, 768, 1)})
    result["transfer"] = transfer
    if transfer:
        result["phone_bytes"] = transfer["phone 390×844"]["bytes"]
        for name, data in transfer.items():
            log(f"    {name}: {data['bytes'] / 1000:.0f} kB in {data['requests']} requests; images {data['images']}")
    with tempfile.TemporaryDirectory() as tmp:
        photos = [phone_photo(Path(tmp) / f"p{i}.jpg", seed=10 + i) for i in range(4)]
        result["spread"] = spread(photos, code / "hooks")
    log(f"    4 photos: {result['spread']}")
    return result
