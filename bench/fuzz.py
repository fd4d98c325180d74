"""Fuzz the extractors for a fixed time: mutate real and fixture inputs, report every crash.

    python bench/fuzz.py --seconds 300          # default 120 s; seed fixed for repeatable runs

A crash is any exception other than kg's own one-line input errors, or a record that breaks the
contract. Each finding is printed with the input that caused it (saved under bench/fuzz-findings/),
to be fixed and added to tests/ as a regression test. Not part of CI's default run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "tests" / "fixtures", ROOT / "examples" / "pages", ROOT.parent / "shared" / "seeds"]
SNIPPETS = [b"<", b">", b"&", b'"', b"\\", b"{", b"}", b"[", b"]", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\n", b"\r",
            b"\xe2\x80\xae", b"\xf0\x9f\x98\x80", b"&amp;", b"<!ENTITY x SYSTEM 'file:///etc/passwd'>", b"&x;",
            b"@article{", b"et al.", b" \xc2\xb7 ", b"\xe2\x80\xa6 (see more)", b"  \xe2\x80\xa2 3 authors",
            b"CLNov 30, 2023Code", b'{"title": ', b"]]]]", b"\xed\xa0\x80"]  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits: flip, insert a snippet, delete, duplicate or truncate a slice."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(out) + 1)
        choice = rng.random()
        if choice < 0.25 and out:
            out[min(position, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.55:
            out[position:position] = rng.choice(SNIPPETS)
        elif choice < 0.75:
            del out[position : position + rng.randint(1, 200)]
        elif choice < 0.9:
            out[position:position] = out[position : position + rng.randint(1, 400)]
        else:
            del out[position:]
    return bytes(out)


def main(argv=None) -> int:
    from tests_contract import check_contract

    from kg.errors import KgError
    from kg.extract import extract_bytes

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    inputs = [p.read_bytes() for folder in CORPORA if folder.is_dir() for p in sorted(folder.rglob("*")) if p.is_file()]
    findings = ROOT / "bench" / "fuzz-findings"
    runs = crashes = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        data = mutate(rng.choice(inputs), rng)
        runs += 1
        try:
            for record in extract_bytes(data, "fuzz").records:
                check_contract(record.to_dict())
        except KgError:
            continue
        except Exception:  # a crash is exactly what we are looking for
            crashes += 1
            findings.mkdir(exist_ok=True)
            (findings / f"crash-{crashes}.bin").write_bytes(data)
            print(f"crash {crashes} (saved as {findings / f'crash-{crashes}.bin'}):", file=sys.stderr)
            traceback.print_exc()
    print(f"{runs} inputs in {args.seconds:.0f} s, {crashes} crash(es)")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    sys.exit(main())
