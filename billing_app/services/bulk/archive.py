"""The zip of a PDF export, built on disk so memory stays flat however many invoices it holds.

Each rendered PDF is first written to its own file in the job's staging folder (atomically:
a temporary name, then a rename), and its item is marked done in the same step. A restarted
or redelivered task therefore finds the done items' PDFs on disk and renders only the rest;
two runs of one job never interleave inside one archive. When every item was tried, the
staged files are streamed into the zip one by one (zipfile reads them in chunks) and the
staging folder is removed.
"""

import os
import re
import shutil
import uuid
import zipfile
from pathlib import Path

from billing_app.settings import get_settings

EXPORTS = "exports"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def exports_dir() -> Path:
    path = get_settings().data_dir / EXPORTS
    path.mkdir(parents=True, exist_ok=True)
    return path


def _staging(job_id: int) -> Path:
    return exports_dir() / f"bulk-{job_id}"


def zip_name(job_id: int) -> str:
    """The archive's path relative to the data directory (what bulk_jobs.result_path holds)."""
    return f"{EXPORTS}/bulk-{job_id}.zip"


def stage_pdf(job_id: int, position: int, filename: str, content: bytes) -> None:
    """Keep one item's PDF until the archive is built; the position keeps the selection's order."""
    folder = _staging(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    safe = _UNSAFE.sub("_", filename).strip("._") or "document.pdf"
    target = folder / f"{position:06d}_{safe}"
    temporary = folder / f".{uuid.uuid4().hex}.part"
    temporary.write_bytes(content)
    os.replace(temporary, target)


def _entry_name(staged: Path, taken: set[str]) -> str:
    """The staged file's name without its position; a repeated name gets " (2)" and so on."""
    name = staged.name.split("_", 1)[1]
    stem, dot, suffix = name.rpartition(".")
    candidate, copy = name, 2
    while candidate in taken:
        candidate = f"{stem} ({copy}){dot}{suffix}" if dot else f"{name} ({copy})"
        copy += 1
    taken.add(candidate)
    return candidate


def build_zip(job_id: int) -> str:
    """Stream the staged PDFs into the job's zip and return its path relative to data_dir.

    PDFs compress their own streams already, so entries are stored, not deflated: deflating
    them again costs CPU for a few percent. The archive appears under its final name only
    once it is complete.
    """
    folder = _staging(job_id)
    staged = sorted(folder.glob("[0-9]*_*")) if folder.exists() else []
    relative = zip_name(job_id)
    final = get_settings().data_dir / relative
    temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.part")
    taken: set[str] = set()
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for path in staged:
            archive.write(path, arcname=_entry_name(path, taken))
    os.replace(temporary, final)
    shutil.rmtree(folder, ignore_errors=True)
    return relative


def result_file(relative: str) -> Path | None:
    """The absolute path of a job's archive, if it exists and lies inside the exports folder."""
    exports = exports_dir().resolve()
    path = (get_settings().data_dir / relative).resolve()
    if not path.is_relative_to(exports) or not path.is_file():
        return None
    return path
