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
from .pdf import read_pdf
from .text import read_text

__all__ = ["Limits", "Line", "ReadResult", "TableBlock", "read_document"]

_CONVERTIBLE = {"doc": "docx", "wps": "docx", "rtf": "docx", "xls": "xlsx", "ole": "docx"}
_FORMAT_NAMES = {
    "doc": "a legacy Word .doc file",
    "wps": "a WPS Writer .wps file",
    "xls": "a legacy Excel .xls file",
    "xlsx": "an Excel workbook",
    "ole": "a legacy Office (OLE2) file",
    "rtf": "an RTF file",
    "html": "an HTML page",
    "zip": "a zip archive that is not a DOCX",
    "binary": "binary data of no known document format",
}


def read_document(
    path: Path, limits: Limits, *, convert: bool = False, with_tables: bool = True
) -> tuple[ReadResult, str, str | None]:
    """Read a file; return the result, the detected format and the format its name suggests."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError(
            "too_large",
            f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} (--max-bytes)",
        )
    detected = sniff_format(path)
    claimed = format_from_suffix(path)
    if detected == "empty":
        raise InputError("empty", "the file is empty (0 bytes)")
    if detected in _CONVERTIBLE:
        if not convert:
            raise InputError(
                "needs_conversion",
                f"this is {_FORMAT_NAMES[detected]}; convert it to"
                f" {_CONVERTIBLE[detected].upper()} or PDF first (e.g. `soffice --headless"
                f" --convert-to {_CONVERTIBLE[detected]} FILE`), or run with --convert"
                " where LibreOffice is installed",
            )
        result = _read_converted(path, detected, limits, with_tables=with_tables)
        result.warnings.append(
            Problem(code="converted", message=f"converted from {detected} with LibreOffice")
        )
    elif detected == "pdf":
        result = read_pdf(path, limits, with_tables=with_tables)
    elif detected == "docx":
        result = read_docx(path, limits)
    elif detected == "txt":
        result = read_text(path, limits)
    else:
        raise InputError(
            "unsupported_format",
            f"this is {_FORMAT_NAMES.get(detected, detected)}, not a PDF, DOCX or text file",
        )
    if claimed and claimed != detected and not (claimed == "txt" and detected == "txt"):
        result.warnings.append(
            Problem(
                code="mislabelled",
                message=f"the file name says {claimed} but the content is {detected};"
                f" read as {detected}",
            )
        )
    return result, detected, claimed


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_converted(path: Path, detected: str, limits: Limits, *, with_tables: bool) -> ReadResult:
    soffice = soffice_path()
    if soffice is None:
        raise InputError(
            "needs_conversion",
            f"this is {_FORMAT_NAMES[detected]} and --convert needs LibreOffice (soffice),"
            " which is not installed",
        )
    target = _CONVERTIBLE[detected]
    if target == "xlsx":
        raise InputError(
            "unsupported_format",
            f"this is {_FORMAT_NAMES[detected]}: spreadsheets are not budget notes; export the"
            " note itself as PDF or DOCX",
        )
    with tempfile.TemporaryDirectory(prefix="budget-notes-convert-") as workdir:
        # Convert a copy with a plain name: soffice names its output after the input.
        source = Path(workdir) / f"input.{detected}"
        shutil.copyfile(path, source)
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{workdir}/profile",
                 "--convert-to", target, "--outdir", workdir, str(source)],
                check=True, capture_output=True, timeout=120,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError("conversion_failed", "LibreOffice could not convert the file", detail=str(exc)) from exc
        converted = Path(workdir) / f"input.{target}"
        if not converted.exists():
            raise InputError("conversion_failed", "LibreOffice produced no output for the file")
        return read_docx(converted, limits)
