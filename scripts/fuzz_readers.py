"""Fuzz the readers with mutated PDF, DOCX and TXT files; save every crash.

    python scripts/fuzz_readers.py [--seconds 180] [--engine auto|atheris|random]
                                   [--target readers|pipeline] [--crashes tests/data/fuzz_crashes]
    python scripts/fuzz_readers.py --replay FILE...

Each input is written to a temporary file and given to ``extractor.readers.read_document``
(``--target pipeline``: to the whole ``extract``). A broken input must end in ``InputError``;
any other exception is a crash. The first input that shows a new crash (same exception type
at the same place) is saved to the crashes folder with the right suffix, next to a ``.txt``
with its traceback, and fuzzing goes on. Exit status 1 if any crash was found, else 0.

Engines: ``atheris`` (coverage-guided libFuzzer over the Python code of the readers and the
libraries under them; pdfium itself is native and not instrumented) when it is installed,
otherwise ``random``: seeded byte-level and zip-member mutations of the samples. Inputs that
kill the process (a segfault in native code) or time out are written by libFuzzer as
``crash-*``/``timeout-*`` in the same folder; their first byte is the suffix selector
(see ``_SUFFIXES``), which ``--replay`` understands.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The first byte of a fuzz input picks the file name suffix, so that mislabelled files
# (a PDF called .docx) are fuzzed too; the rest is the file's content.
_SUFFIXES = (".pdf", ".docx", ".txt", ".doc")
_SEEDS = ("samples/seed.pdf", "samples/seed.docx", "samples/seed.txt")
_MAX_LEN = 64 * 1024


class Harness:
    """Runs one input; remembers and saves each distinct crash."""

    def __init__(self, crashes: Path, target: str, deadline: float) -> None:
        from extractor.errors import InputError
        from extractor.pipeline import Options, extract
        from extractor.readers.limits import Limits
        from extractor.readers.reading import read_document

        self.crashes = crashes
        self.deadline = deadline
        self.runs = 0
        self.seen: dict[str, Path] = {}
        self.workdir = Path(tempfile.mkdtemp(prefix="budget-notes-fuzz-"))
        # Small limits keep a mutated page count or part size from making one run slow.
        limits = Limits(
            max_bytes=8 * 1024 * 1024, max_pages=200, max_docx_uncompressed=32 * 1024 * 1024
        )
        self._input_error = InputError
        if target == "pipeline":
            options = Options(limits=limits)
            self._run = lambda path: extract(path, options)
        else:
            self._run = lambda path: read_document(path, limits)

    def one(self, data: bytes) -> None:
        if time.monotonic() > self.deadline:
            self.finish()
        self.runs += 1
        if not data:
            return
        suffix = _SUFFIXES[data[0] % len(_SUFFIXES)]
        content = data[1:]
        path = self.workdir / f"input{suffix}"
        path.write_bytes(content)
        try:
            self._run(path)
        except self._input_error:
            pass
        except (Exception, MemoryError, RecursionError) as exc:  # everything else is a crash
            self._record(exc, content, suffix)

    def _record(self, exc: BaseException, content: bytes, suffix: str) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if "/extractor/" in f.filename] or frames
        where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
        deepest = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        key = f"{type(exc).__name__}@{where}@{deepest}"
        if key in self.seen:
            return
        self.crashes.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(content).hexdigest()[:10]
        target = self.crashes / f"{type(exc).__name__}-{digest}{suffix}"
        target.write_bytes(content)
        target.with_name(target.name + ".txt").write_text(
            f"{key}\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8"
        )
        self.seen[key] = target
        print(f"\nCRASH {key} -> {target}", file=sys.stderr, flush=True)

    def finish(self) -> None:
        print(f"\n{self.runs} inputs, {len(self.seen)} distinct crashes", file=sys.stderr)
        for key, path in self.seen.items():
            print(f"  {key}: {path}", file=sys.stderr)
        sys.stderr.flush()
        # os._exit: libFuzzer owns the process under atheris and would not return.
        os._exit(1 if self.seen else 0)


def load_seeds() -> list[bytes]:
    seeds = []
    for name in _SEEDS:
        path = ROOT / name
        if path.exists():
            seeds.append(bytes([_SUFFIXES.index(path.suffix)]) + path.read_bytes())
    if not seeds:
        raise SystemExit("no seed files in samples/")
    return seeds


# --- structure-aware mutation: a DOCX is a zip, byte flips mostly just break its CRCs ------------


def mutate_zip_member(content: bytes, mutate_bytes, rng: random.Random) -> bytes | None:  # type: ignore[no-untyped-def]
    """Mutate one member of a zip package and write the package again (None: not a zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:
        return None
    if not members:
        return None
    xml = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    pick = rng.choice(xml or range(len(members)))
    info, data = members[pick]
    members[pick] = (info, mutate_bytes(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, data)
    return out.getvalue()


# --- engines -------------------------------------------------------------------------------------


def run_atheris(harness: Harness, seconds: int, corpus: Path) -> None:
    import atheris

    rng = random.Random()

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng.seed(seed)
        if len(data) > 1 and data[1:3] == b"PK" and rng.random() < 0.6:
            rezipped = mutate_zip_member(
                data[1:], lambda part: atheris.Mutate(part, max(len(part) * 2, 64)), rng
            )
            if rezipped is not None and len(rezipped) < max_size:
                return data[:1] + rezipped
        return atheris.Mutate(data, max_size)

    for number, seed in enumerate(load_seeds()):
        (corpus / f"seed{number}").write_bytes(seed)
    atheris.Setup(
        [
            sys.argv[0],
            str(corpus),
            f"-max_total_time={seconds + 60}",
            f"-max_len={_MAX_LEN}",
            "-timeout=30",
            "-rss_limit_mb=3072",
            f"-artifact_prefix={harness.crashes}/",
            "-print_final_stats=1",
        ],
        harness.one,
        custom_mutator=custom_mutator,
    )
    atheris.Fuzz()


def random_mutation(seed: bytes, rng: random.Random) -> bytes:
    """One to eight byte-level edits of a seed (or zip-member edits of a DOCX)."""
    selector, content = seed[:1], seed[1:]
    if rng.random() < 0.1:
        selector = bytes([rng.randrange(len(_SUFFIXES))])
    if content[:2] == b"PK" and rng.random() < 0.6:
        rezipped = mutate_zip_member(content, lambda part: _edit_bytes(part, rng), rng)
        if rezipped is not None:
            return selector + rezipped
    return selector + _edit_bytes(content, rng)


def _edit_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        position = rng.randrange(len(buffer) + 1)
        if choice < 0.3 and buffer:
            buffer[min(position, len(buffer) - 1)] = rng.randrange(256)
        elif choice < 0.45:
            buffer[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif choice < 0.6:
            del buffer[position : position + rng.randint(1, 64)]
        elif choice < 0.7:
            del buffer[position:]  # truncate
        elif choice < 0.85 and buffer:  # copy a chunk elsewhere
            start = rng.randrange(len(buffer))
            buffer[position:position] = buffer[start : start + rng.randint(1, 256)]
        else:  # interesting numbers where digits were
            digits = [i for i, b in enumerate(buffer) if 48 <= b <= 57]
            if digits:
                at = rng.choice(digits)
                buffer[at : at + 1] = rng.choice(
                    [b"0", b"9999999999", b"-1", b"4294967296", b"1e308"]
                )
    return bytes(buffer)


def run_random(harness: Harness, seed_value: int | None) -> None:
    rng = random.Random(seed_value)
    seeds = load_seeds()
    while True:
        harness.one(random_mutation(rng.choice(seeds), rng))


def replay(paths: list[Path], target: str) -> int:
    harness = Harness(ROOT / "tests" / "data" / "fuzz_crashes", target, deadline=float("inf"))
    harness.crashes = Path(tempfile.mkdtemp(prefix="budget-notes-replay-"))
    for path in paths:
        data = path.read_bytes()
        if path.suffix in _SUFFIXES:  # saved by the harness: plain file content
            data = bytes([_SUFFIXES.index(path.suffix)]) + data
        before = len(harness.seen)
        harness.one(data)
        print(f"{path}: {'CRASH' if len(harness.seen) > before else 'ok'}")
    return 1 if harness.seen else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=180, help="time budget (default 180)")
    parser.add_argument("--engine", choices=("auto", "atheris", "random"), default="auto")
    parser.add_argument("--target", choices=("readers", "pipeline"), default="readers")
    parser.add_argument("--crashes", type=Path, default=ROOT / "tests" / "data" / "fuzz_crashes")
    parser.add_argument("--seed", type=int, default=None, help="random engine: RNG seed")
    parser.add_argument("--replay", type=Path, nargs="+", help="run saved inputs once and report")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay, args.target)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris
        except ImportError:
            engine = "random"
        else:
            engine = "atheris"
    crashes = args.crashes.resolve()
    crashes.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + args.seconds
    print(
        f"fuzzing {args.target} with {engine} for {args.seconds}s; crashes go to {crashes}",
        file=sys.stderr,
    )
    if engine == "atheris":
        import atheris

        with atheris.instrument_imports():
            import docx  # noqa: F401
            import pdfplumber  # noqa: F401

            import extractor.readers

            if args.target == "pipeline":
                import extractor.pipeline  # noqa: F401
        harness = Harness(crashes, args.target, deadline)
        with tempfile.TemporaryDirectory(prefix="budget-notes-fuzz-corpus-") as corpus:
            run_atheris(harness, args.seconds, Path(corpus))
    else:
        harness = Harness(crashes, args.target, deadline)
        run_random(harness, args.seed)
    return 0  # not reached: the harness exits at the deadline


if __name__ == "__main__":
    sys.exit(main())
