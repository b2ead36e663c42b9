"""Read any file: its format told by its content (the name is only a hint), then the
reader registered for that format."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from .base import ReadRequest, ReadResult
from .detect import sniff_format
from .formats import Format, format_from_suffix
from .limits import Limits
from .marks import marks_warning
from .registry import READERS


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
        detected = sniff_format(path, data) if size <= limits.max_bytes else None
    except OSError as exc:  # vanished, no permission, a folder called x.pdf …
        raise InputError(
            ProblemCode.UNREADABLE_FILE,
            f"the file cannot be read: {exc.strerror or exc}",
            detail=str(exc),
        ) from exc
    if detected is None:
        raise InputError(
            ProblemCode.TOO_LARGE,
            f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} (--max-bytes)",
        )
    claimed = format_from_suffix(path)
    if detected is Format.DOC and claimed is Format.WPS:
        detected = Format.WPS  # Kingsoft WPS Writer files hold a Word stream too
    reader = READERS[detected]
    request = ReadRequest(path, limits, data=data, with_tables=with_tables, convert=convert)
    result = reader.read(request)
    marks = marks_warning(result.lines, unit=reader.unit)
    if marks is not None:
        result.warnings.append(marks)
    if claimed is not None and claimed is not detected:
        result.warnings.append(
            Problem(
                code=ProblemCode.MISLABELLED,
                message=f"the file name says {claimed} but the content is {detected};"
                f" read as {detected}",
            )
        )
    return result, detected.value, claimed.value if claimed else None
