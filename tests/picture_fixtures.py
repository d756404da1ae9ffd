"""Images made by the tests with Pillow: what phones, scanners and drawing programs produce.

Each picture has four corners of known colours (stored orientation), so a test can tell where
the top left of the published picture came from.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageDraw

RED, GREEN, BLUE, YELLOW = (220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 220, 20)
PHONE_MODEL = "PhoneModel-X9-Test"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Nguyen Van A</dc:creator>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta>')


def corners(size: tuple[int, int], mode: str = "RGB", background=(128, 128, 128)) -> Image.Image:
    """A picture with a coloured block in each corner (a quarter of each side), grey elsewhere,
    and some texture so it is a photo (more than 256 colours)."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = width // 4, height // 4
    draw.rectangle((0, 0, w, h), fill=RED)
    draw.rectangle((width - w - 1, 0, width - 1, h), fill=GREEN)
    draw.rectangle((0, height - h - 1, w, height - 1), fill=BLUE)
    draw.rectangle((width - w - 1, height - h - 1, width - 1, height - 1), fill=YELLOW)
    for x in range(w + 10, width - w - 10, 3):  # a band of many colours in the middle
        for y in range(h + 10, height - h - 10, 7):
            draw.point((x, y), fill=(x * 7 % 256, y * 5 % 256, (x + y) % 256))
    return image.convert(mode) if mode != "RGB" else image


def phone_photo(path: Path, size: tuple[int, int] = (640, 480), orientation: int = 6, quality: int = 90) -> Path:
    """A JPEG as a phone stores it: on its side with EXIF orientation 6 (turn right to view),
    the phone's make and model, a GPS position (a GPS IFD), the time, an XMP packet and an ICC
    profile (sRGB)."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = PHONE_MODEL
    exif[0x0132] = "2025:03:17 08:30:00"
    exif[0x8825] = {1: "N", 2: (10.0, 14.0, 30.5), 3: "E", 4: (106.0, 22.0, 5.0), 6: 12.5}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    corners(size).save(path, "JPEG", quality=quality, exif=exif.tobytes(), xmp=XMP, icc_profile=icc,
                       comment=b"camera comment")
    return path


def cmyk_jpeg(path: Path, size=(200, 150)) -> Path:
    """A CMYK JPEG (print shops and scanners): pure red is C=0 M=255 Y=255 K=0."""
    Image.new("CMYK", size, (0, 255, 255, 0)).save(path, "JPEG", quality=95)
    return path


def sixteen_bit_png(path: Path, size=(120, 80), value: int = 40000) -> Path:
    """A 16-bit greyscale PNG (scanners, medical and GIS exports) of one grey: 40000/65535."""
    image = Image.frombytes("I;16", size, struct.pack("<H", value) * (size[0] * size[1]))
    image.save(path, "PNG")
    return path


def palette_png(path: Path, size=(300, 200)) -> Path:
    """A paletted PNG with a transparent background and a red disc (a logo, a chart)."""
    image = Image.new("P", size, 0)
    image.putpalette([255, 255, 255, 200, 0, 0, 0, 0, 200] + [0] * (256 - 3) * 3)
    ImageDraw.Draw(image).ellipse((50, 25, 250, 175), fill=1)
    image.info["transparency"] = 0
    image.save(path, "PNG", transparency=0)
    return path


def animated_gif(path: Path, size=(120, 90)) -> Path:
    """Two frames: red, then blue."""
    frames = [Image.new("RGB", size, RED), Image.new("RGB", size, BLUE)]
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=300, loop=0)
    return path


def swapped_profile() -> bytes:
    """An ICC v2 RGB display profile whose red and blue primaries are sRGB's blue and red: a
    pixel (255, 0, 0) in it is blue.  A pipeline that drops the profile shows red; one that
    converts to sRGB shows blue."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z) -> bytes:
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    description = b"Swapped primaries (test)\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(description)) + description
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)
    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 0x0233)  # gamma 2.2
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.1431, 0.0606, 0.7141)),  # sRGB's blue
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
        (b"cprt", b"text" + b"\0" * 4 + b"public domain\0"),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = b"", b""
    for signature, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntr" + b"RGB " + b"XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249)
              + b"\0" * 4 + b"\0" * 44)
    assert len(header) == 128, len(header)
    return header + struct.pack(">I", len(tags)) + table + data


def red_in_swapped_profile(path: Path, size=(160, 120)) -> Path:
    """An RGB JPEG of pure red pixels that its embedded (swapped) profile says are blue."""
    Image.new("RGB", size, (255, 0, 0)).save(path, "JPEG", quality=95, icc_profile=swapped_profile())
    return path


def metadata_of(path: Path) -> dict:
    """Every kind of metadata Pillow finds in a published file (empty when there is none)."""
    found = {}
    with Image.open(path) as image:
        info = dict(image.info)
        exif = image.getexif()
        if len(exif):
            found["exif"] = dict(exif)
        for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc",
                    "dpi", "adobe", "text"):
            if info.get(key):
                found[key] = info[key]
        if getattr(image, "text", None):
            found["png text"] = image.text
    data = path.read_bytes()
    for marker in (b"Exif\0", b"GPS", PHONE_MODEL.encode(), b"http://ns.adobe.com/xap", b"adobe:ns:meta",
                   b"ICC_PROFILE", b"camera comment", b"PhoneMaker"):
        if marker in data:
            found[f"bytes {marker!r}"] = True
    return found


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
