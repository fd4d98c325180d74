"""Generate the bad-input corpus: one file per case, and what kg must do with each.

    python tests/badinput/make_corpus.py OUT_DIR [--big]

``--big`` adds the two expensive cases (a 100 MB single line, a million tiny
records); tests/test_badinput.py runs them in a subprocess under time and
memory limits. Nothing here is copied from the web: every case is built here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

GOOD = "CLMar 11, 2015\nOn Using Monolingual CorporaCaglar Gulcehre, Orhan Firat et al.\nA fixture abstract.\n"

# name -> (bytes, expected): expected is "ok" (papers come out), or the text of the one-line error.
CASES: dict[str, tuple[bytes, str]] = {}


def case(name: str, data: bytes | str, expected: str) -> None:
    CASES[name] = (data.encode("utf-8") if isinstance(data, str) else data, expected)


case("good.txt", GOOD, "ok")
case("empty.txt", b"", "empty file")
case("whitespace.txt", b" \n\t\n", "empty file (only whitespace)")
case("binary.bin", bytes(range(256)) * 64, "binary file (contains NUL bytes), not text")
case("controls.txt", bytes(range(1, 9)) * 500, "binary file (control bytes), not text")
case("truncated.html", "<!doctype html><html><head><meta name=citation_title content='Cut", "no paper found")
case(
    "truncated.xml",
    '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/1',
    "not well-formed XML",
)
case("truncated.json", '[{"title": "A", "author": "Ann Lee", "aff": "X"}, {"title": "B", "aut', "in no known format")
case("truncated.bib", "@article{key,\n  title = {Unfinished,\n  author = {Ann Lee", "no paper found")
case("latin1.txt", GOOD.replace("Caglar", "Çağlar".replace("ğ", "g")).encode("latin-1"), "ok")
case("utf16.txt", GOOD.encode("utf-16"), "ok")
case("mixed-encodings.txt", GOOD.encode("utf-8") + "Überprüfung, naïve café\n".encode("latin-1"), "ok")
case("nested.json", "[" * 100_000 + "]" * 100_000, "in no known format")
case(
    "xxe.xml",
    '<?xml version="1.0"?>\n<!DOCTYPE dblp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<dblp><article key="x"><author>&xxe;</author><title>XXE fixture</title><year>2020</year></article></dblp>',
    "ok-no-file",
)
case(
    "billion-laughs.xml",
    '<?xml version="1.0"?>\n<!DOCTYPE dblp [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    + ']>\n<dblp><article key="x"><author>&j;</author><title>Laughs fixture</title><year>2020</year></article></dblp>',
    "bounded",
)
case(
    "script.html",
    "<!doctype html><html><head><meta name='citation_title' content='A &lt;b&gt;Title&lt;/b&gt;'>"
    "<meta name='citation_author' content='Ann \"Q\" Lee'><script>alert(1)</script>"
    "<iframe src='javascript:alert(2)'></iframe><a href='javascript:alert(3)'>x</a></head></html>",
    "ok",
)
hostile = [
    'Quotes "double" and \'single\'', "Angle <b>brackets</b> & <img src=x onerror=alert(1)>", "New\nline\rtitle",
    "Control \x01\x02\x0b chars", "RTL \u202eevil\u202c mark", "Emoji 🧠🔬 title", "IRI } { | ^ ` \\ breaking > <",
    "Lone surrogate \ud800 inside",
]  # fmt: skip
RECORD = {"authors_truncated": False, "author_count": None, "date_inferred": False}
lines = [json.dumps({"title": t, "authors": [{"name": t[:20] + " Lee"}], "abstract": t, **RECORD}) for t in hostile]
case("hostile.jsonl", "\n".join(lines) + "\n", "ok")


def write(out: Path, big: bool = False) -> dict[str, str]:
    """Write the corpus into ``out``; returns file name -> expected outcome."""
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (data, outcome) in CASES.items():
        (out / name).write_bytes(data)
        expected[name] = outcome
    if big:
        with open(out / "one-100mb-line.txt", "wb") as handle:
            chunk = b"word " * 200_000
            for _ in range(100):
                handle.write(chunk)
        expected["one-100mb-line.txt"] = "in no known format"
        with open(out / "million-records.csv", "w", encoding="utf-8") as handle:
            handle.write("title,authors\n")
            for i in range(1_000_000):
                handle.write(f"T{i},A{i % 97} B{i % 89}\n")
        expected["million-records.csv"] = "ok"
    return expected


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "badinput-corpus")
    for name, outcome in write(target, big="--big" in sys.argv).items():
        print(f"{name}\t{outcome}")
