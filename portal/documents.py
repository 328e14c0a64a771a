"""The session's downloaded files: list, resolve a name safely, delete, copy to a USB key."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

# Shown inside the portal; anything else (SVG, HTML...) could run script, so it is never inlined.
PREVIEW_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


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
    """Regular files directly in the folder, newest first; none when it does not exist."""
    try:
        entries = [p for p in folder.iterdir() if _is_document(p)]
    except OSError:
        return []
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [Document(p.name, p.stat().st_size, _kind(p.name)) for p in entries]


def _is_document(path: Path) -> bool:
    return not path.name.startswith(".") and path.is_file() and not path.is_symlink()


def resolve(folder: Path, name: str) -> Document:
    """The document called `name`; refuse anything that is not a plain file name in the folder."""
    if (not name or name != Path(name).name or name.startswith(".") or "\\" in name
            or "\x00" in name or len(name) > 255):
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


def copy_to(folder: Path, name: str, target: Path) -> str:
    """Copy a document to the USB key without overwriting anything; return the name used."""
    resolve(folder, name)
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while (target / candidate).exists():
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    shutil.copyfile(folder / name, target / candidate)
    return candidate
