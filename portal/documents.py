"""The session's downloaded files: list, resolve a name safely, delete, copy to a USB key."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.text import safe_file_name

# Shown inside the portal; anything else (SVG, HTML...) could run script, so it is never inlined.
PREVIEW_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


MAX_COPY_NAMES = 1000  # "a (2).pdf" ... "a (1000).pdf", then the copy is refused


class DocumentNotFound(LookupError):
    """No such document in this session (or a name trying to leave the downloads dir)."""


@dataclass(frozen=True)
class Document:
    name: str
    size: int
    kind: str  # "pdf", "image" or "other"

    @property
    def mimetype(self) -> str | None:
        return PREVIEW_TYPES.get(Path(self.name).suffix.lower())


def _kind(name: str) -> str:
    mime = PREVIEW_TYPES.get(Path(name).suffix.lower(), "")
    return "pdf" if mime == "application/pdf" else "image" if mime.startswith("image/") else "other"


def list_documents(folder: Path) -> list[Document]:
    """Regular files directly in the folder, newest first; none when it does not exist. A name
    that could lie about itself (bidi override) or break a header (line break) is renamed."""
    try:
        paths = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for path in paths:
        try:  # a download may finish, or the resident delete it, while we look
            if _is_document(path):
                path = _neutral_name(path)
                info = path.stat()
                found.append((info.st_mtime, Document(path.name, info.st_size, _kind(path.name))))
        except OSError:
            continue
    found.sort(key=lambda item: item[0], reverse=True)
    return [doc for _, doc in found]


def _is_document(path: Path) -> bool:
    return not path.name.startswith(".") and path.is_file() and not path.is_symlink()


def _neutral_name(path: Path) -> Path:
    """Rename a downloaded file whose name holds bidi controls or control characters to the
    name it shows; never over another file (a link then an unlink: no clobbering)."""
    clean = safe_file_name(path.name)
    if clean == path.name:
        return path
    stem, suffix = Path(clean).stem or "document", Path(clean).suffix
    for n in range(1, MAX_COPY_NAMES + 1):
        target = path.with_name(f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}")
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        path.unlink()
        return target
    raise FileExistsError("no free name")


def resolve(folder: Path, name: str) -> Document:
    """The document called `name`; refuse anything that is not a plain file name in the folder."""
    if (not name or name != Path(name).name or name.startswith(".") or "\\" in name
            or "\x00" in name or len(name) > 255 or name != safe_file_name(name)):
        raise DocumentNotFound(name)
    path = folder / name
    try:
        inside = path.resolve(strict=True).parent == folder.resolve(strict=True)
    except OSError as exc:
        raise DocumentNotFound(name) from exc
    if not inside or not _is_document(path):
        raise DocumentNotFound(name)
    return Document(name, path.stat().st_size, _kind(name))


def delete(folder: Path, name: str) -> None:
    """Remove one document of this session."""
    resolve(folder, name)
    (folder / name).unlink()


_CHUNK = 1024 * 1024


def copy_to(folder: Path, name: str, target: Path) -> str:
    """Copy a document to the USB key without overwriting anything; return the name used.

    Whatever is on the key is the key owner's: a name there may be a symlink to a file of the
    terminal, or a dangling one to where a new file would appear. So the key's folder is opened
    without following a link, and the copy is created inside it (relative to that open folder)
    with O_CREAT | O_EXCL | O_NOFOLLOW: an existing name, a link included, is simply taken.
    OSError when the folder is a link or the copy cannot be made (the caller says so)."""
    resolve(folder, name)
    stem, suffix = Path(name).stem, Path(name).suffix
    source = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        key = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            for n in range(1, MAX_COPY_NAMES + 1):
                candidate = name if n == 1 else f"{stem} ({n}){suffix}"
                try:
                    out = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                  | os.O_CLOEXEC, 0o644, dir_fd=key)
                except FileExistsError:
                    continue
                try:
                    _copy_fd(source, out)
                except OSError:
                    os.close(out)
                    os.unlink(candidate, dir_fd=key)  # no half copy left on the key
                    raise
                os.close(out)
                return candidate
            raise FileExistsError(f"no free name for a copy after {MAX_COPY_NAMES} tries")
        finally:
            os.close(key)
    finally:
        os.close(source)


def _copy_fd(source: int, out: int) -> None:
    os.lseek(source, 0, os.SEEK_SET)
    while chunk := os.read(source, _CHUNK):
        view = memoryview(chunk)
        while view:
            view = view[os.write(out, view):]
    os.fsync(out)  # the key may be pulled out as soon as the page says "copied"
