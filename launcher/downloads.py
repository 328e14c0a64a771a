"""Download decisions: a safe file name and whether the content is a document we keep."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_NAME = 100
MAX_BYTES = 200 * 1024 * 1024  # a session directory must not fill the disk
FALLBACK_STEM = "document"

# Document kinds a resident may take away, with the extension the saved file gets.
KIND_EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "gif": (".gif",),
    "webp": (".webp",),
    "text": (".txt", ".csv"),
    "office": (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"),
}
_ALLOWED_EXTENSIONS = {ext for exts in KIND_EXTENSIONS.values() for ext in exts}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r'[<>:"|?*/\\]')


@dataclass(frozen=True)
class DownloadDecision:
    """Keep the file under `name`, or refuse it."""

    allowed: bool
    name: str = ""


def sanitize_name(suggested: str) -> str:
    """A plain file name: no directory part, no control characters, no leading dots, bounded."""
    text = unicodedata.normalize("NFC", suggested or "")
    text = re.split(r"[/\\]", text)[-1]
    text = _CONTROL.sub("", text)
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    stem = stem.strip(" ._") or FALLBACK_STEM
    ext = ext[:10]
    stem = stem[: MAX_NAME - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def unique_path(directory: Path, name: str) -> Path:
    """`name` in `directory`, or `name (2)`, `name (3)`... if already taken."""
    candidate = directory / name
    stem, ext = Path(name).stem, Path(name).suffix
    number = 2
    while candidate.exists():
        candidate = directory / f"{stem} ({number}){ext}"
        number += 1
    return candidate


def extension_allowed(name: str) -> bool:
    """First gate, before any byte is written: the name must look like a document."""
    return Path(name).suffix.lower() in _ALLOWED_EXTENSIONS or Path(name).suffix == ""


def sniff(path: Path) -> str | None:
    """The document kind the bytes really are, or None for anything else (binaries, scripts)."""
    head = path.read_bytes()[:4096] if path.is_file() else b""
    for kind, test in _SIGNATURES:
        if test(head):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return "office" if _is_office_zip(path) else None
    return "text" if _is_plain_text(head) else None


_SIGNATURES = (
    ("pdf", lambda h: h.startswith(b"%PDF-")),
    ("png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    ("webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
)


def _is_office_zip(path: Path) -> bool:
    """OOXML/ODF documents are zips with a fixed manifest and no executable payload."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    if any(n.lower().endswith((".exe", ".dll", ".sh", ".js", ".bat", ".msi")) for n in names):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def _is_plain_text(head: bytes) -> bool:
    """UTF-8 text without NULs and not a script or markup (those can run code)."""
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    start = text.lstrip().lower()
    return not start.startswith(("#!", "<", "@echo", "mz"))


def decide(suggested: str, path: Path) -> DownloadDecision:
    """Keep a finished download only if its bytes are an allowed document kind.

    The saved name gets that kind's extension, whatever the server claimed."""
    kind = sniff(path)
    if kind is None:
        return DownloadDecision(False)
    name = sanitize_name(suggested)
    suffix = Path(name).suffix.lower()
    if not suffix:
        return DownloadDecision(True, sanitize_name(name + KIND_EXTENSIONS[kind][0]))
    if suffix in KIND_EXTENSIONS[kind]:
        return DownloadDecision(True, name)
    return DownloadDecision(False)  # a script named .sh, a zip named .pdf, a PDF named .exe
