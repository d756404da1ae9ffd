"""Who publishes the site and how citizens reach them: `extra.cchc.contact` in mkdocs.yml.

Nghị định 42/2022/NĐ-CP asks a government website to show the agency's name, address, phone
and email and the person responsible for the content it publishes; citizens also look for the
opening hours of the one-stop shop (Bộ phận Một cửa).  These are configuration, not code: the
footer of every page and the about page (docs/gioi-thieu.md) show what is configured here.

    contact:
      agency: Sở Giáo dục và Đào tạo tỉnh Vĩnh Long      # default: department + province
      address: "Số 12 đường Lê Thái Tổ, phường Thanh Đức, tỉnh Vĩnh Long"
      phone: "0270 3822 418"                              # or a list of numbers
      email: sgddt@vinhlong.gov.vn
      website: https://sgddt.vinhlong.gov.vn/             # optional, https only
      one_stop:                                           # optional
        name: Bộ phận Một cửa …                           # default "Bộ phận Một cửa"
        address: …                                        # optional
        hours: ["Sáng: 7 giờ – 11 giờ", "Chiều: 13 giờ – 17 giờ"]   # a line or a list of lines
      responsible: {name: "Nguyễn Văn A", position: "Phó Giám đốc Sở"}   # or just the name
      licence: "Giấy phép số … do … cấp ngày …"           # optional

Every value is checked; a mistake stops the build with a Vietnamese message naming the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from .diagnostics import short
from .datafile import suggest
from .text import nfc

KEYS = ("agency", "address", "phone", "email", "website", "one_stop", "responsible", "licence")
ONE_STOP_KEYS = ("name", "address", "hours")
RESPONSIBLE_KEYS = ("name", "position")
REQUIRED = ("address", "phone", "email", "responsible")
ONE_STOP_NAME = "Bộ phận Một cửa"
PREFIX = "extra.cchc.contact"

_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[0-9 .()\-]+$")
_URL_RE = re.compile(r"^https://[^\s<>\"'`]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_EXAMPLES = {
    "agency": "agency: Sở Giáo dục và Đào tạo tỉnh Vĩnh Long",
    "address": 'address: "Số 12 đường Lê Thái Tổ, phường Thanh Đức, tỉnh Vĩnh Long"',
    "phone": 'phone: "0270 3822 418"',
    "email": "email: sgddt@vinhlong.gov.vn",
    "website": "website: https://sgddt.vinhlong.gov.vn/",
    "responsible": 'responsible: {name: "Họ và tên", position: "Phó Giám đốc Sở"}',
    "licence": 'licence: "Giấy phép số … do … cấp ngày …"',
}


class ContactError(ValueError):
    """A contact value that cannot be published; the message names the key and the fix."""


@dataclass(frozen=True)
class Phone:
    text: str  # as configured: "0270 3822 418"
    tel: str  # for tel: links: "02703822418", "+842703822418"


@dataclass(frozen=True)
class Contact:
    agency: str
    address: str
    phones: tuple[Phone, ...]
    email: str
    responsible_name: str
    responsible_position: str = ""
    website: str = ""
    one_stop_name: str = ""  # "" when no one-stop shop is configured
    one_stop_address: str = ""
    one_stop_hours: tuple[str, ...] = ()
    licence: str = ""

    @property
    def responsible(self) -> str:
        """"Nguyễn Văn A, Phó Giám đốc Sở" (or the name alone)."""
        return f"{self.responsible_name}, {self.responsible_position}" if self.responsible_position \
            else self.responsible_name


def _fail(key: str, message: str, fix: str) -> ContactError:
    return ContactError(f"{PREFIX}.{key} {message} → Cách sửa: {fix}")


def _unknown(mapping: Mapping, known: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in known:
            guess = suggest(str(key), known)
            fix = f"có phải ý bạn là “{guess}”?" if guess else "các mục dùng được: " + ", ".join(known)
            raise ContactError(f"{where}: mục “{short(key)}” không dùng được → Cách sửa: {fix}")


def _text(value: Any, key: str, example: str) -> str:
    """One line of text (a number YAML read as a number is taken as written)."""
    if value is None:
        raise _fail(key, "đang trống", f"ghi giá trị, ví dụ {example}")
    if isinstance(value, (list, dict)) or isinstance(value, bool):
        raise _fail(key, "phải là một dòng văn bản", f"viết dạng {example}")
    text = " ".join(nfc(str(value)).split())
    if _CONTROL_RE.search(str(value).replace("\n", " ").replace("\t", " ")):
        raise _fail(key, "có ký tự điều khiển vô hình", "gõ lại giá trị (ký tự lạ thường lẫn vào khi dán)")
    if not text:
        raise _fail(key, "đang trống", f"ghi giá trị, ví dụ {example}")
    return text


def _lines(value: Any, key: str, example: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _fail(key, "đang trống", f"ghi giá trị, ví dụ {example}")
    return tuple(_text(item, key, example) for item in items)


def _phone(text: str) -> Phone:
    if not _PHONE_RE.match(text):
        raise _fail("phone", f"“{short(text)}” không phải số điện thoại",
                    'chỉ ghi chữ số, dấu cách, dấu chấm, gạch ngang, ví dụ phone: "0270 3822 418"; '
                    "nhiều số thì viết danh sách: phone: [\"0270 3822 418\", \"0270 3822 419\"]")
    digits = re.sub(r"[^0-9]", "", text)
    if not 3 <= len(digits) <= 15:
        raise _fail("phone", f"“{short(text)}” có {len(digits)} chữ số, không phải số điện thoại",
                    'ghi đủ mã vùng, ví dụ phone: "0270 3822 418"')
    return Phone(text, ("+" if text.startswith("+") else "") + digits)


def parse_contact(value: Any, *, default_agency: str = "") -> Contact | None:
    """The checked contact block, or None when mkdocs.yml has none."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ContactError(f"{PREFIX} phải gồm các mục address:, phone:, email:, responsible: … → Cách sửa: "
                           "xem ví dụ trong README (mục Cấu hình)")
    _unknown(value, KEYS, PREFIX)
    for key in REQUIRED:
        if value.get(key) in (None, "", []):
            raise _fail(key, "chưa được khai báo (Nghị định 42/2022/NĐ-CP yêu cầu trang của cơ quan nhà nước "
                        "ghi rõ địa chỉ, điện thoại, thư điện tử và người chịu trách nhiệm nội dung)",
                        f"thêm dòng {_EXAMPLES[key]}")
    agency = _text(value["agency"], "agency", _EXAMPLES["agency"]) if value.get("agency") is not None \
        else " ".join(default_agency.split())
    if not agency:
        raise _fail("agency", "chưa được khai báo (và không có department, province để ghép tên cơ quan)",
                    f"thêm dòng {_EXAMPLES['agency']}")
    email = _text(value["email"], "email", _EXAMPLES["email"])
    if email.lower().startswith("mailto:") or not _EMAIL_RE.match(email):
        raise _fail("email", f"“{short(email)}” không phải địa chỉ thư điện tử", f"viết dạng {_EXAMPLES['email']}")
    phones = tuple(_phone(text) for text in _lines(value["phone"], "phone", _EXAMPLES["phone"]))
    website = ""
    if value.get("website") is not None:
        website = _text(value["website"], "website", _EXAMPLES["website"])
        if not _URL_RE.match(website):
            raise _fail("website", f"“{short(website)}” không phải địa chỉ https", f"ghi đầy đủ, bắt đầu bằng https://, "
                        f"ví dụ {_EXAMPLES['website']}")
    responsible = value["responsible"]
    if isinstance(responsible, Mapping):
        _unknown(responsible, RESPONSIBLE_KEYS, f"{PREFIX}.responsible")
        name = _text(responsible.get("name"), "responsible.name", _EXAMPLES["responsible"])
        position = _text(responsible["position"], "responsible.position", _EXAMPLES["responsible"]) \
            if responsible.get("position") is not None else ""
    else:
        name, position = _text(responsible, "responsible", _EXAMPLES["responsible"]), ""
    one_stop_name = one_stop_address = ""
    hours: tuple[str, ...] = ()
    one_stop = value.get("one_stop")
    if one_stop is not None:
        example = 'one_stop: {hours: "Sáng 7 giờ – 11 giờ, chiều 13 giờ – 17 giờ, từ thứ Hai đến thứ Sáu"}'
        if not isinstance(one_stop, Mapping):
            raise _fail("one_stop", "phải gồm các mục name:, address:, hours:", f"viết dạng {example}")
        _unknown(one_stop, ONE_STOP_KEYS, f"{PREFIX}.one_stop")
        if one_stop.get("hours") in (None, "", []):
            raise _fail("one_stop.hours", "chưa được khai báo: người dân cần biết giờ tiếp nhận hồ sơ",
                        f"viết dạng {example}")
        hours = _lines(one_stop["hours"], "one_stop.hours", example)
        one_stop_name = _text(one_stop["name"], "one_stop.name", "name: Bộ phận Một cửa") \
            if one_stop.get("name") is not None else ONE_STOP_NAME
        if one_stop.get("address") is not None:
            one_stop_address = _text(one_stop["address"], "one_stop.address", _EXAMPLES["address"])
    licence = _text(value["licence"], "licence", _EXAMPLES["licence"]) if value.get("licence") is not None else ""
    return Contact(
        agency=agency,
        address=_text(value["address"], "address", _EXAMPLES["address"]),
        phones=phones,
        email=email,
        responsible_name=name,
        responsible_position=position,
        website=website,
        one_stop_name=one_stop_name,
        one_stop_address=one_stop_address,
        one_stop_hours=hours,
        licence=licence,
    )
