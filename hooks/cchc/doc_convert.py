"""Old Word files (.doc, Word 97–2003; also .rtf and .odt) to .docx through LibreOffice.

    soffice --headless -env:UserInstallation=file:///<temp profile> --convert-to docx --outdir <temp> FILE

A profile of its own (deleted afterwards) keeps the conversion from touching, or waiting
for, a LibreOffice the officer has open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .word_reader import WordError

CONVERTIBLE = (".doc", ".rtf", ".odt", ".dot", ".wps")
TIMEOUT = 180  # seconds: a large document on a slow machine

INSTALL_HINT = ("cài LibreOffice: trên Debian/Ubuntu chạy sudo apt-get install --no-install-recommends libreoffice-writer; "
                "trên Windows tải tại libreoffice.org. Hoặc mở tệp bằng Word và Lưu thành (Save As) định dạng .docx, "
                "rồi chạy lại lệnh với tệp .docx")


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def to_docx(source: Path, workdir: Path) -> Path:
    """Convert `source` into `workdir`; the .docx written, or WordError."""
    program = soffice()
    kind = source.suffix.lower()
    if program is None:
        raise WordError(f"tệp {source.name} là định dạng {kind} cũ: cần LibreOffice để chuyển sang .docx, "
                        "nhưng máy chưa cài LibreOffice", INSTALL_HINT)
    profile = Path(tempfile.mkdtemp(prefix="cchc-libreoffice-"))
    outdir = workdir / "docx"
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("HOME", str(profile))  # LibreOffice wants a home even with its own profile
    command = [program, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "docx", "--outdir", str(outdir), str(source)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise WordError(f"LibreOffice chuyển tệp {source.name} quá {TIMEOUT} giây mà chưa xong",
                        "mở tệp bằng Word hoặc LibreOffice và Lưu thành .docx, rồi nhập tệp .docx") from None
    except OSError as exc:
        raise WordError(f"không chạy được LibreOffice ({exc.strerror})", INSTALL_HINT) from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = outdir / (source.stem + ".docx")
    if result.returncode != 0 or not converted.is_file():
        detail = (result.stderr or result.stdout or "").strip().splitlines()[-1:] or [""]
        raise WordError(f"LibreOffice không chuyển được tệp {source.name} sang .docx"
                        + (f" ({detail[0][:200]})" if detail[0] else ""),
                        "kiểm tra tệp mở được bằng Word; nếu tệp có mật khẩu, bỏ mật khẩu; "
                        "hoặc Lưu thành .docx bằng Word rồi nhập tệp .docx")
    return converted
