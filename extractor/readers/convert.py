"""Legacy formats through LibreOffice: a .doc, .wps or .rtf becomes a DOCX, a spreadsheet a
PDF (whose text and tables the PDF reader can take)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..problems import ProblemCode
from .formats import Format

# What LibreOffice turns each legacy format into.
TARGETS = {
    Format.DOC: Format.DOCX,
    Format.WPS: Format.DOCX,
    Format.RTF: Format.DOCX,
    Format.XLS: Format.PDF,
    Format.OLE: Format.DOCX,
}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def needs_conversion(found: Format) -> InputError:
    """The refusal of a legacy file when --convert was not given."""
    target = TARGETS[found]
    return InputError(
        ProblemCode.NEEDS_CONVERSION,
        f"this is {found.description}; convert it to"
        f" {'DOCX or PDF' if target is Format.DOCX else 'PDF'} first (e.g. `soffice"
        f" --headless --convert-to {target} FILE`), or run with --convert where"
        " LibreOffice is installed",
    )


@contextmanager
def converted(path: Path, found: Format, data: bytes | None) -> Iterator[Path]:
    """The file converted to its target format, in a folder removed afterwards."""
    soffice = soffice_path()
    if soffice is None:
        raise InputError(
            ProblemCode.NEEDS_CONVERSION,
            f"this is {found.description} and --convert needs LibreOffice (soffice),"
            " which is not installed",
        )
    target = TARGETS[found]
    with tempfile.TemporaryDirectory(prefix="budget-notes-convert-") as workdir:
        # Convert a copy with a plain name: soffice names its output after the input.
        source = Path(workdir) / f"input.{found}"
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
                ProblemCode.CONVERSION_FAILED,
                "LibreOffice could not convert the file",
                detail=str(exc),
            ) from exc
        output = Path(workdir) / f"input.{target}"
        if not output.exists():
            raise InputError(
                ProblemCode.CONVERSION_FAILED, "LibreOffice produced no output for the file"
            )
        yield output
