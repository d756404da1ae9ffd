"""Images staff put beside articles: what they really are, checked before anything is published.

`inspect` reads a file's header and structure with Pillow (never its pixels) and says, in
Vietnamese, what is wrong with it; `cchc.attachments` (files under news/) and
`cchc.pictures` (the published, resized pictures) both rely on it:

- the content is not the image type its name says (a text file named .jpg, a PNG named .jpg,
  an HEIC photo from an iPhone renamed .jpg): browsers show a broken image;
- the file is empty or cut short (an interrupted copy): broken, or half an image;
- more than MAX_PIXELS pixels: a "decompression bomb" (a few KB that a phone would have to
  unpack into gigabytes), or a photo far larger than any page needs;
- an SVG used as an image, an iPhone HEIC photo, a BMP or TIFF: not shown by every browser
  (SVG can also carry scripts).

Only raster types a browser shows everywhere are images here: JPEG, PNG, GIF, WebP, AVIF.
SVG is not (it can carry scripts: cchc.attachments refuses it everywhere).
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Width × height at most (50 megapixels): a 48 MP phone photo passes; a bomb that would need
# gigabytes of memory to show does not.  Checked on the header, before anything is decoded.
MAX_PIXELS = 50_000_000

# Pillow's format name → (suffixes it is saved under, name shown to staff)
FORMATS = {
    "JPEG": ((".jpg", ".jpeg"), "JPEG"),
    "PNG": ((".png",), "PNG"),
    "GIF": ((".gif",), "GIF"),
    "WEBP": ((".webp",), "WebP"),
    "AVIF": ((".avif",), "AVIF"),
}
SUFFIXES = frozenset(s for suffixes, _ in FORMATS.values() for s in suffixes)


_ORIENTATION = 0x0112  # the EXIF tag
SIDEWAYS_ORIENTATIONS = {5, 6, 7, 8}  # orientations stored on the side: width and height exchange


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP, AVIF
    width: int  # as stored (before the EXIF orientation)
    height: int
    orientation: int = 1  # EXIF orientation (1: upright)
    animated: bool = False  # more than one frame (GIF, WebP, APNG)

    @property
    def upright(self) -> tuple[int, int]:
        """Width and height as the picture is shown (the EXIF orientation applied)."""
        return (self.height, self.width) if self.orientation in SIDEWAYS_ORIENTATIONS else (self.width, self.height)


class ImageProblem(Exception):
    """What is wrong with an image file (Vietnamese message and how to fix it)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


SAVE_AGAIN_HINT = "mở ảnh bằng phần mềm xem ảnh (hoặc Paint) rồi lưu lại thành JPEG (.jpg) hoặc PNG (.png), chép lại vào đúng chỗ"
COPY_AGAIN_HINT = "chép lại ảnh gốc từ điện thoại hoặc máy ảnh (có thể lần chép trước bị gián đoạn)"


def svg_problem() -> ImageProblem:
    return ImageProblem("ảnh SVG không được dùng làm ảnh bài viết: SVG có thể chứa mã chạy được (script)",
                        "mở ảnh rồi xuất (Export) thành PNG, dùng tệp .png thay cho .svg")


def exif_orientation(image: Image.Image, loaded: bool = False) -> int:
    """The EXIF orientation (1: upright).  Never decodes the pixels: a PNG's EXIF chunk after the
    image data is read only once the image is loaded (Pillow would load it, and a decoding error
    swallowed here would leave an empty picture)."""
    if image.format == "PNG" and "exif" not in image.info and not loaded:
        return 1
    try:
        return int(image.getexif().get(_ORIENTATION) or 1)
    except Exception:  # a damaged EXIF block: the picture itself may be fine
        return 1


def _megapixels(pixels: int) -> str:
    """Millions of pixels as Vietnamese writes numbers: "12,5", "10.000"."""
    millions = pixels / 1_000_000
    if millions >= 100:
        return f"{round(millions):,}".replace(",", ".")
    text = f"{millions:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def inspect(path: Path) -> ImageInfo:
    """The image's type and size, checked; raises ImageProblem (Vietnamese) when the file is not
    a complete image of the type its name says, or is too large."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageProblem(f"không đọc được tệp ảnh ({exc.strerror})", "kiểm tra quyền đọc tệp") from None
    if size == 0:
        raise ImageProblem("tệp ảnh rỗng (0 byte)", COPY_AGAIN_HINT)
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise ImageProblem(f"không đọc được tệp ảnh ({exc.strerror})", "kiểm tra quyền đọc tệp") from None
    if suffix in (".svg", ".svgz"):
        raise svg_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=list(FORMATS)) as image:
                info = ImageInfo(image.format, image.width, image.height, exif_orientation(image),
                                 bool(getattr(image, "is_animated", False)))
                if info.width * info.height > MAX_PIXELS:
                    raise too_large(info)
                if info.width < 1 or info.height < 1:
                    raise ImageProblem("ảnh không có điểm ảnh nào (0×0)", SAVE_AGAIN_HINT)
                _check_type(info, suffix)
                _check_complete(image, path, size)
        except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
            raise bomb(exc) from None
        except UnidentifiedImageError:
            raise _not_an_image(head, suffix) from None
        except ImageProblem:
            raise
        except (OSError, SyntaxError, ValueError, struct.error, EOFError, IndexError, TypeError) as exc:
            raise ImageProblem(f"tệp ảnh bị hỏng hoặc không trọn vẹn ({_reason(exc)})",
                               "chép lại ảnh gốc; nếu vẫn lỗi, mở ảnh rồi lưu lại thành tệp mới") from None
    return info


def bomb(exc: Exception) -> ImageProblem:
    """Pillow refused to open the file: its header claims far more pixels than MAX_PIXELS."""
    found = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = f"{_megapixels(int(found.group(1)))} triệu" if found else f"hơn {_megapixels(MAX_PIXELS)} triệu"
    return ImageProblem(f"ảnh quá lớn: {pixels} điểm ảnh (tối đa {_megapixels(MAX_PIXELS)} triệu)",
                        "thu nhỏ ảnh (ví dụ cạnh dài 2000 điểm ảnh) rồi lưu lại; trang web không cần ảnh lớn hơn")


def too_large(info: ImageInfo) -> ImageProblem:
    return ImageProblem(
        f"ảnh quá lớn: {info.width}×{info.height} điểm ảnh ({_megapixels(info.width * info.height)} triệu, "
        f"tối đa {_megapixels(MAX_PIXELS)} triệu)",
        "thu nhỏ ảnh (ví dụ cạnh dài 2000 điểm ảnh) rồi lưu lại; trang web không cần ảnh lớn hơn")


def _check_type(info: ImageInfo, suffix: str) -> None:
    suffixes, name = FORMATS[info.format]
    if suffix not in suffixes:
        claimed = next((n for s, n in FORMATS.values() if suffix in s), suffix.lstrip(".").upper() or "không rõ")
        raise ImageProblem(f"tệp có đuôi {suffix or '(không có đuôi)'} ({claimed}) nhưng thật ra là ảnh {name}",
                           f"đổi đuôi tệp thành {suffixes[0]} (và sửa tên ảnh trong bài cho khớp), "
                           "hoặc mở ảnh rồi lưu lại đúng định dạng")


def _check_complete(image: Image.Image, path: Path, size: int) -> None:
    """Raise if the file is cut short (an interrupted copy), from its structure, without decoding
    the pixels (a check of every photo of the site on each run must stay cheap): the JPEG end
    marker after the image data, the PNG end chunk, the GIF trailer, the WebP (RIFF) length, the
    AVIF (ISO BMFF) box lengths.  Data after the end is allowed (phones add some)."""
    fmt = image.format
    with open(path, "rb") as handle:
        if fmt == "JPEG":
            complete = _jpeg_complete(handle, size)
        elif fmt == "PNG":
            handle.seek(max(0, size - 4096))
            complete = b"IEND\xaeB`\x82" in handle.read()
        elif fmt == "GIF":
            handle.seek(max(0, size - 4096))
            complete = handle.read().rstrip(b"\0").endswith(b";")
        elif fmt == "WEBP":
            header = handle.read(12)
            complete = len(header) == 12 and struct.unpack("<I", header[4:8])[0] + 8 <= size
        else:
            complete = _boxes_complete(handle, size)
    if not complete:
        raise ImageProblem(f"tệp ảnh {FORMATS[fmt][1]} không trọn vẹn (bị cắt cụt, thiếu phần cuối)", COPY_AGAIN_HINT)


_TAIL = 65536


def _jpeg_complete(handle, size: int) -> bool:
    """The end-of-image marker follows the image data (the entropy-coded data never holds
    FF D9; an EXIF thumbnail's own end marker comes before the data).  Reads the segment headers
    up to the first start of scan (FF DA) and the last 64 KB: a few KB of a phone photo, not all."""
    pos = 2
    while pos + 4 <= size:
        handle.seek(pos)
        header = handle.read(4)
        if len(header) < 4:
            return False
        if header[0] != 0xFF:  # a segment longer than its length says: skip to the next marker,
            handle.seek(pos)  # as decoders do
            chunk = handle.read(65536)
            found = chunk.find(b"\xff", 1)
            if found < 0:
                return False
            pos += found
            continue
        marker = header[1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:
            break
        pos += 2 + int.from_bytes(header[2:4], "big")
    else:
        return False
    if size > _TAIL:
        handle.seek(size - _TAIL)
        if b"\xff\xd9" in handle.read():
            return True
    handle.seek(pos)
    while True:  # the whole data: the end marker may be followed by a motion photo's video
        chunk = handle.read(1 << 20)
        if not chunk:
            return False
        if b"\xff\xd9" in chunk:
            return True
        if len(chunk) == 1:
            return False
        handle.seek(-1, 1)  # a marker split across two reads


def _boxes_complete(handle, size: int) -> bool:
    """The top-level boxes of an ISO BMFF file (AVIF) end within the file."""
    pos = 0
    while pos + 8 <= size:
        handle.seek(pos)
        header = handle.read(16)
        box = int.from_bytes(header[:4], "big")
        if box == 1 and len(header) == 16:
            box = int.from_bytes(header[8:16], "big")
        elif box == 0:
            return True  # to the end of the file
        if box < 8:
            return False
        pos += box
    return pos == size or pos > size - 8 and pos <= size


def _not_an_image(head: bytes, suffix: str) -> ImageProblem:
    what = describe_content(head)
    if what.startswith("ảnh ") and not what.startswith("ảnh SVG"):  # a real picture browsers do not all show
        return ImageProblem(f"tệp {suffix or '(không có đuôi)'} thật ra là {what}: trình duyệt không hiện được "
                            "(trang web nhận ảnh JPEG, PNG, GIF, WebP, AVIF)",
                            SAVE_AGAIN_HINT + "; trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất")
    return ImageProblem(f"tệp có đuôi ảnh {suffix} nhưng không phải ảnh" + (f" (nội dung là {what})" if what else ""),
                        SAVE_AGAIN_HINT)


def describe_content(head: bytes) -> str:
    """A guess at what a file holds, from its first bytes, for messages ("" if unknown)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower():
        return "ảnh SVG (có thể chứa mã chạy được)"
    if stripped.startswith((b"<!doctype html", b"<html", b"<script", b"<?xml", b"<")):
        return "văn bản HTML/XML"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypmsf1"):
        return "ảnh HEIC của iPhone"
    if head.startswith(b"%PDF-"):
        return "tệp PDF"
    if head.startswith(b"PK\x03\x04"):
        return "tệp nén ZIP hoặc Word/Excel"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "tệp Word/Excel đời cũ"
    if head.startswith(b"BM"):
        return "ảnh BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "ảnh TIFF"
    try:
        head.decode("utf-8")
        return "văn bản"
    except UnicodeDecodeError:
        return ""


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "truncated" in text.lower():
        return "bị cắt cụt"
    return "không giải mã được"
