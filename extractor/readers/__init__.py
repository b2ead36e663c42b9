"""One reader per format, chosen by the file's content (its name is only a hint)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..models import Problem
from .base import Limits, Line, ReadResult, TableBlock
from .detect import format_from_suffix, sniff_format
from .docx import read_docx
from .html import read_html
from .marks import marks_warning
from .pdf import read_pdf
from .text import read_text

__all__ = ["Limits", "Line", "ReadResult", "TableBlock", "read_document"]

# What LibreOffice turns each legacy format into; a spreadsheet becomes a PDF, whose text
# and tables the PDF reader can take.
_CONVERTIBLE = {"doc": "docx", "wps": "docx", "rtf": "docx", "xls": "pdf", "ole": "docx"}
_FORMAT_NAMES = {
    "doc": "a legacy Word .doc file",
    "wps": "a WPS Writer .wps file",
    "xls": "a legacy Excel .xls file",
    "xlsx": "an Excel workbook",
    "ole": "a legacy Office (OLE2) file",
    "rtf": "an RTF file",
    "zip": "a zip archive that is not a DOCX",
    "binary": "binary data of no known document format",
}


def read_document(
    path: Path,
    limits: Limits,
    *,
    convert: bool = False,
    with_tables: bool = True,
    data: bytes | None = None,
) -> tuple[ReadResult, str, str | None]:
    """Read a file; return the result, the detected format and the format its name suggests.
    With ``data`` (the file's bytes, read once by the caller) those bytes are parsed and the
    file is not opened again: what is parsed is what was hashed."""
    try:
        size = path.stat().st_size if data is None else len(data)
        detected = sniff_format(path, data) if size <= limits.max_bytes else ""
    except OSError as exc:  # vanished, no permission, a folder called x.pdf …
        raise InputError(
            "unreadable_file", f"the file cannot be read: {exc.strerror or exc}", detail=str(exc)
        ) from exc
    if size > limits.max_bytes:
        raise InputError(
            "too_large",
            f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} (--max-bytes)",
        )
    claimed = format_from_suffix(path)
    if detected == "doc" and claimed == "wps":
        detected = "wps"  # Kingsoft WPS Writer files hold a Word stream too
    if detected == "empty":
        raise InputError("empty", "the file is empty (0 bytes)")
    if detected == "damaged_zip":
        raise InputError(
            "corrupt_docx",
            "the file starts like a zip package (DOCX) but is damaged or truncated: its zip"
            " directory cannot be read",
        )
    if detected in _CONVERTIBLE:
        if not convert:
            target = _CONVERTIBLE[detected]
            raise InputError(
                "needs_conversion",
                f"this is {_FORMAT_NAMES[detected]}; convert it to"
                f" {'DOCX or PDF' if target == 'docx' else 'PDF'} first (e.g. `soffice"
                f" --headless --convert-to {target} FILE`), or run with --convert where"
                " LibreOffice is installed",
            )
        result = _read_converted(path, detected, limits, with_tables=with_tables, data=data)
        result.warnings.append(
            Problem(code="converted", message=f"converted from {detected} with LibreOffice")
        )
    elif detected == "pdf":
        result = read_pdf(path, limits, with_tables=with_tables, data=data)
    elif detected == "docx":
        result = read_docx(path, limits, data=data)
    elif detected == "txt":
        result = read_text(path, limits, data=data)
    elif detected == "html":
        result = read_html(path, limits, data=data)
    else:
        raise InputError(
            "unsupported_format",
            f"this is {_FORMAT_NAMES.get(detected, detected)}, not a PDF, DOCX, web page or"
            " text file",
        )
    marks = marks_warning(
        result.lines, unit="page line" if detected == "pdf" else _UNITS.get(detected, "line")
    )
    if marks is not None:
        result.warnings.append(marks)
    if claimed and claimed != detected and not (claimed == "txt" and detected == "txt"):
        result.warnings.append(
            Problem(
                code="mislabelled",
                message=f"the file name says {claimed} but the content is {detected};"
                f" read as {detected}",
            )
        )
    return result, detected, claimed


_UNITS = {"docx": "paragraph", "html": "paragraph", "txt": "line"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_converted(
    path: Path, detected: str, limits: Limits, *, with_tables: bool, data: bytes | None
) -> ReadResult:
    soffice = soffice_path()
    if soffice is None:
        raise InputError(
            "needs_conversion",
            f"this is {_FORMAT_NAMES[detected]} and --convert needs LibreOffice (soffice),"
            " which is not installed",
        )
    target = _CONVERTIBLE[detected]
    with tempfile.TemporaryDirectory(prefix="budget-notes-convert-") as workdir:
        # Convert a copy with a plain name: soffice names its output after the input.
        source = Path(workdir) / f"input.{detected}"
        if data is None:
            shutil.copyfile(path, source)
        else:
            source.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{workdir}/profile",
                    "--convert-to",
                    target,
                    "--outdir",
                    workdir,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError(
                "conversion_failed", "LibreOffice could not convert the file", detail=str(exc)
            ) from exc
        converted = Path(workdir) / f"input.{target}"
        if not converted.exists():
            raise InputError("conversion_failed", "LibreOffice produced no output for the file")
        if target == "pdf":
            return read_pdf(converted, limits, with_tables=with_tables)
        return read_docx(converted, limits)
