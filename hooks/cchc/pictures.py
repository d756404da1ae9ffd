"""Published pictures: every raster image an article uses, made fit for the web with Pillow.

A phone photo is 4000×3000 pixels and 3–6 MB, often stored on its side with an EXIF
"orientation" flag, and carries the phone's metadata (GPS position, phone model, time).  The
site never publishes it as it is: each image becomes a few *derivatives*,

- widths `PictureSettings.widths` (480, 960, 1600; never wider than the original), each as WebP
  (what every current browser loads) and a fallback for the rest: JPEG for photos, PNG for
  graphics (at most 256 colours, or transparency);
- for an article's front-matter `image:` also the listing thumbnail at its displayed size and
  twice that (160×90, 320×180, cropped to cover), the share image (1200×630 JPEG, cropped to
  cover: what Facebook and Zalo show) and the feed enclosure (a JPEG at most 960 wide);

decoded once, turned upright first (the EXIF orientation), converted to 8-bit sRGB (CMYK
JPEGs, 16-bit PNGs, embedded ICC profiles: the colours are converted, not dropped), and written
with no metadata at all (no EXIF, XMP, IPTC, GPS, ICC, comments).  An animated GIF (or WebP,
PNG) is published as its first frame, a still picture.

File names say where they come from and what they are, and cannot collide:
`<name>-<digest>-<width>.<ext>` (`anh-hoi-nghi-3f2a9c0d1b-960.webp`), where <name> is the
original file's name as ASCII and <digest> the SHA-256 of the original's bytes and of these
settings, so two different images never share a name even in one folder, and a replaced image
always gets new names (browsers and the web server may keep a name's file for a long time).

`probe` is the cheap check `cchc check` runs on every image an article uses (`cchc.images.inspect`:
the header and the file's structure; not an image, empty, cut short, too many pixels); `render`
does the work.  Both raise `PictureProblem` (`cchc.images.ImageProblem`) with a Vietnamese
message and fix.  The build-level part (which
images, the cache, the worker threads) is `cchc.picture_library`.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from PIL import __version__ as PILLOW_VERSION

from . import images
from .images import COPY_AGAIN_HINT, SAVE_AGAIN_HINT, SIDEWAYS_ORIENTATIONS, exif_orientation
from .text import slugify

# Bumped whenever the way derivatives are made changes (names and cached entries follow).
PIPELINE_VERSION = 1

FORMATS = tuple(images.FORMATS)  # what Pillow may open here (see cchc.images)
SUFFIXES = images.SUFFIXES
MAX_PIXELS = images.MAX_PIXELS
PictureProblem = images.ImageProblem

MIME = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}



@dataclass(frozen=True)
class PictureSettings:
    """Everything that shapes the derivatives besides the image (part of names and cache keys)."""

    widths: tuple[int, ...] = (480, 960, 1600)
    webp_quality: int = 75
    jpeg_quality: int = 80
    thumb: tuple[int, int] = (160, 90)  # listing cards (overrides/cchc/macros.html), made 1× and 2×
    share: tuple[int, int] = (1200, 630)  # og:image (overrides/main.html)
    enclosure_width: int = 960  # feed enclosure (cchc.feeds)

    def fingerprint(self) -> str:
        text = repr((PIPELINE_VERSION, PILLOW_VERSION, self.widths, self.webp_quality, self.jpeg_quality,
                     self.thumb, self.share, self.enclosure_width))
        return hashlib.sha256(text.encode()).hexdigest()


def picture_settings(site_settings) -> PictureSettings:
    """The picture settings of a site (`extra.cchc.image_widths`, cchc.settings)."""
    widths = tuple(getattr(site_settings, "image_widths", ()) or PictureSettings.widths)
    return PictureSettings(widths=widths)


@dataclass(frozen=True)
class SourceFacts:
    """What the header of an image says (cheap to find: `probe`)."""

    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP, AVIF
    width: int  # as shown (the EXIF orientation applied)
    height: int
    animated: bool = False


@dataclass(frozen=True)
class Derivative:
    """One published file made from an image."""

    role: str  # "w" (a width of the srcset), "thumb", "share", "enclosure"
    name: str  # file name: <name>-<digest>-<label>.<ext>
    width: int
    height: int
    format: str  # "webp", "jpg", "png"
    size: int = 0  # bytes

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Rendered:
    """What `render` made of one image."""

    width: int  # the original's size, upright
    height: int
    kind: str  # "photo" (JPEG fallback) or "graphic" (PNG fallback)
    derivatives: tuple[Derivative, ...] = field(default_factory=tuple)


def too_large(width: int, height: int) -> PictureProblem:
    return images.too_large(images.ImageInfo("", width, height))


def probe(path: Path) -> SourceFacts:
    """The image's type and upright size, checked without decoding its pixels (cchc.images);
    PictureProblem when it is not a complete image of a type browsers show, or too large."""
    info = images.inspect(Path(path))
    width, height = info.upright
    return SourceFacts(format=info.format, width=width, height=height, animated=info.animated)


# --- names ---------------------------------------------------------------------------------------
def name_digest(content_digest: str, settings: PictureSettings) -> str:
    """The <digest> part of derivative names: the original's bytes and the settings."""
    return hashlib.sha256(f"{content_digest}\0{settings.fingerprint()}".encode()).hexdigest()[:10]


def base_name(source_name: str) -> str:
    """The readable part of derivative names: the original's name as ASCII ("Ảnh hội nghị.JPG"
    → "anh-hoi-nghi"); "anh" when nothing is left."""
    stem = source_name.rsplit(".", 1)[0] if "." in source_name.strip(".") else source_name
    return slugify(stem, max_length=60) or "anh"


@dataclass(frozen=True)
class Plan:
    """The derivatives to make of one image (known before decoding: from its upright size)."""

    stem: str  # <name>-<digest>
    width: int
    height: int
    cover: bool  # an article's front-matter image: thumbnails, share image, enclosure too

    def widths(self, settings: PictureSettings) -> list[int]:
        """Srcset widths: each setting below the original's width, and the original's (or the
        largest setting's) width; never wider than the original."""
        largest = min(self.width, max(settings.widths))
        return sorted({w for w in settings.widths if w < largest} | {largest})


def _height_for(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


# --- render ---------------------------------------------------------------------------------------
def render(path: Path, folder: Path, plan: Plan, settings: PictureSettings) -> Rendered:
    """Make every derivative of the image at `path` into `folder` (file names from `plan`);
    PictureProblem when it cannot be decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise too_large(image.width, image.height)
                return _render_open(image, Path(folder), plan, settings)
    except PictureProblem:
        raise
    except UnidentifiedImageError:
        raise PictureProblem("tệp không phải ảnh", SAVE_AGAIN_HINT) from None
    except Image.DecompressionBombError as exc:
        raise images.bomb(exc) from None
    except (OSError, SyntaxError, ValueError, struct.error, EOFError, IndexError, TypeError, KeyError) as exc:
        if "truncated" in str(exc).lower() or isinstance(exc, EOFError):
            raise PictureProblem("tệp ảnh không trọn vẹn (bị cắt cụt)", COPY_AGAIN_HINT) from None
        raise PictureProblem("tệp ảnh bị hỏng, không giải mã được", COPY_AGAIN_HINT) from None


def _render_open(image: Image.Image, folder: Path, plan: Plan, settings: PictureSettings) -> Rendered:
    if image.format != "JPEG":  # only a JPEG is decoded smaller (draft): the others load now
        image.seek(0)
        image.load()
    orientation = exif_orientation(image, loaded=image.format != "JPEG")
    exif = image.info.get("exif", b"")
    icc = image.info.get("icc_profile")
    stored_w, stored_h = image.size
    swapped = orientation in SIDEWAYS_ORIENTATIONS
    up_w, up_h = (stored_h, stored_w) if swapped else (stored_w, stored_h)
    widths = plan.widths(settings)
    # Everything is made from one upright "master" at the widest srcset width (never more than
    # the original), so a width's file is the same whether or not the image is also a cover.
    scale = min(1.0, widths[-1] / up_w)
    master = (max(1, round(up_w * scale)), max(1, round(up_h * scale)))
    stored_master = (master[1], master[0]) if swapped else master
    if image.format == "JPEG" and scale < 1.0:
        # libjpeg decodes at 1/2, 1/4 or 1/8 of the size directly: a 48-megapixel photo needed
        # at 1600 wide decodes four times faster.
        image.draft(None, stored_master)
    image.seek(0)  # an animated picture: its first frame (the guide says so)
    image.load()
    base = _normalise(image)
    kind, alpha = _kind(base, image.format)  # before resampling adds in-between colours
    if alpha and base.mode != "RGBA":
        base = base.convert("RGBA")
    if base.size != stored_master:
        base = _resize(base, stored_master, reducing_gap=3.0)
    base = _colour(base, icc)
    if orientation != 1:  # upright before anything is cropped
        base.info = {"exif": exif}
        base = ImageOps.exif_transpose(base)
    base.info = {}
    if not alpha and base.mode != "RGB":
        base = base.convert("RGB")
    fallback = "png" if kind == "graphic" else "jpg"
    made: list[Derivative] = []
    for width in widths:
        height = _height_for(up_w, up_h, width)
        sized = base if (width, height) == base.size else _resize(base, (width, height))
        made.append(_save(sized, folder, plan.stem, str(width), "webp", "w", kind, settings))
        made.append(_save(sized, folder, plan.stem, str(width), fallback, "w", kind, settings))
    if plan.cover:
        tw, th = settings.thumb
        for factor in (1, 2):
            w, h = tw * factor, th * factor
            if factor > 1 and (up_w < w or up_h < h):
                break  # never upscaled beyond the displayed size
            thumb = _cover(base, (w, h))
            made.append(_save(thumb, folder, plan.stem, f"{w}x{h}", "webp", "thumb", kind, settings))
            made.append(_save(thumb, folder, plan.stem, f"{w}x{h}", fallback, "thumb", kind, settings))
        share = _flatten(_cover(base, settings.share))
        made.append(_save(share, folder, plan.stem, "{}x{}".format(*settings.share), "jpg", "share", "photo", settings))
        ew = min(settings.enclosure_width, up_w)
        same = next((d for d in made if d.role == "w" and d.width == ew and d.format == "jpg"), None)
        if same is not None:
            made.append(Derivative("enclosure", same.name, same.width, same.height, "jpg", same.size))
        else:
            eh = _height_for(up_w, up_h, ew)
            enclosure = _flatten(_resize(base, (ew, eh)) if (ew, eh) != base.size else base)
            made.append(_save(enclosure, folder, plan.stem, f"{ew}-rss", "jpg", "enclosure", "photo", settings))
    return Rendered(width=up_w, height=up_h, kind=kind, derivatives=tuple(made))


def _resize(image: Image.Image, size: tuple[int, int], reducing_gap: float | None = None) -> Image.Image:
    """Lanczos; transparent pictures through premultiplied alpha (no dark fringes at edges)."""
    if image.mode == "RGBA":
        return image.convert("RGBa").resize(size, Image.Resampling.LANCZOS, reducing_gap=reducing_gap).convert("RGBA")
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=reducing_gap)


def _normalise(image: Image.Image) -> Image.Image:
    """8 bits per channel in L, RGB, RGBA or CMYK: 16-bit grey scaled (not clipped at 255),
    palettes expanded (their transparency becomes alpha)."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode == "F":
        return image.convert("L")
    if mode in ("P", "PA", "LA", "La", "RGBa") or (mode in ("L", "RGB", "1") and "transparency" in image.info):
        return image.convert("RGBA")
    if mode == "1":
        return image.convert("L")
    if mode in ("L", "RGB", "RGBA", "CMYK"):
        return image
    return image.convert("RGB")  # YCbCr, LAB, HSV, RGBX


def _colour(image: Image.Image, icc: bytes | None) -> Image.Image:
    """sRGB: an embedded ICC profile converted by LittleCMS (colours kept, not dropped), CMYK
    without a profile by Pillow's formula."""
    if icc:
        converted = _icc_to_srgb(image, icc)
        if converted is not None:
            return converted
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


_SRGB = None


def _icc_to_srgb(image: Image.Image, icc: bytes) -> Image.Image | None:
    """The image in sRGB through its ICC profile; None when it is sRGB already or the profile
    cannot be used (then the pixels are taken as sRGB, as browsers do)."""
    global _SRGB
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = (ImageCms.getProfileDescription(source) or "").lower()
        if "srgb" in description and image.mode != "CMYK":
            return None
        if _SRGB is None:
            _SRGB = ImageCms.createProfile("sRGB")
        out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=out_mode,
                                         renderingIntent=ImageCms.Intent.PERCEPTUAL)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _kind(image: Image.Image, source_format: str | None) -> tuple[str, bool]:
    """("graphic" or "photo", alpha used?).  A graphic (PNG fallback, lossless WebP): transparency,
    or at most 256 colours in a PNG/GIF/WebP original (a chart, a logo, a screenshot of a form)."""
    alpha = False
    if image.mode == "RGBA":
        low, _high = image.getchannel("A").getextrema()
        alpha = low < 255
    if alpha:
        return "graphic", True
    if source_format == "JPEG":
        return "photo", False
    sample = image if image.width * image.height <= 4_000_000 else image.resize(
        (max(1, image.width // 4), max(1, image.height // 4)), Image.Resampling.NEAREST)
    colours = sample.convert("RGB").getcolors(256)
    return ("graphic" if colours is not None else "photo"), False


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` scaled to cover `size` and cropped to it: centred, a little above the middle for a
    portrait picture (faces are rarely at the bottom)."""
    centre = (0.5, 0.4) if image.height > image.width else (0.5, 0.5)
    if image.mode == "RGBA":  # premultiplied, as _resize
        return ImageOps.fit(image.convert("RGBa"), size, Image.Resampling.LANCZOS, centering=centre).convert("RGBA")
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=centre)


def _flatten(image: Image.Image) -> Image.Image:
    """A JPEG has no transparency: transparent parts on white."""
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _save(image: Image.Image, folder: Path, stem: str, label: str, fmt: str, role: str, kind: str,
          settings: PictureSettings) -> Derivative:
    """Encode `image` with no metadata at all (the info dict is emptied: Pillow would otherwise
    copy an ICC profile, EXIF or XMP it read) and write it."""
    image.info = {}
    buffer = io.BytesIO()
    if fmt == "webp":
        if kind == "graphic":
            image.save(buffer, "WEBP", lossless=True, quality=80, method=4, exif=b"", xmp=b"", icc_profile=None)
        else:
            image.save(buffer, "WEBP", quality=settings.webp_quality, method=4, exif=b"", xmp=b"", icc_profile=None)
    elif fmt == "jpg":
        _flatten(image).save(buffer, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    else:
        palette = image.quantize(256, method=Image.Quantize.FASTOCTREE) if image.mode in ("RGB", "RGBA") else image
        palette.info = {}
        palette.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    name = f"{stem}-{label}.{fmt}"
    (folder / name).write_bytes(data)
    return Derivative(role, name, image.width, image.height, fmt, len(data))


def safe_name(text: str) -> bool:
    """A derivative name as `render` makes it (used when reading names back from the cache)."""
    return bool(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}-[0-9x]+(?:-rss)?\.(?:webp|jpg|png)", text))
