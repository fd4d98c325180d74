"""Decoding inputs and the one-line errors for bad ones."""

from __future__ import annotations

import codecs

import pytest
from conftest import FIXTURES

from kg.errors import InputError
from kg.extract import extract_file
from kg.io.inputs import decode_bytes, iter_input_paths, read_text

PROFILE = "LGSep 25, 2023\nSmall-scale proxies for trainingMitchell Wortsman, Peter J. Liu et al.\nAbstract text é.\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_encodings_read_the_same(tmp_path, encoding):
    path = tmp_path / f"page-{encoding}.txt"
    path.write_bytes(PROFILE.encode(encoding))
    result = extract_file(path)
    assert result.records[0].abstract == "Abstract text é."
    assert result.records[0].authors[1].name == "Peter J. Liu"


def test_fallback_encoding_is_noted(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(PROFILE.encode("cp1252"))
    assert extract_file(path).notes[0] == "not UTF-8; decoded as cp1252"


def test_utf16_big_endian_bom():
    assert decode_bytes(codecs.BOM_UTF16_BE + "naïve".encode("utf-16-be"), "x").text == "naïve"


def test_windows_newlines():
    assert decode_bytes(b"a\r\nb\rc", "x").text == "a\nb\nc"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes), not text"),
        (bytes(range(1, 32)) * 50, "binary file (control bytes), not text"),
    ],
)
def test_bad_bytes(content, reason):
    with pytest.raises(InputError) as caught:
        decode_bytes(content, "bad.bin")
    assert caught.value.reason == reason
    assert str(caught.value) == f"bad.bin: {reason}"


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_directories_are_walked_sorted_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "empty").mkdir()
    items = [str(p.relative_to(tmp_path)) for p in iter_input_paths([str(tmp_path)])]
    assert items == ["a.txt", "b/2.txt"]
    errors = list(iter_input_paths([str(tmp_path / "empty")]))
    assert isinstance(errors[0], InputError) and errors[0].reason == "directory holds no files"


def test_unknown_format(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text("This is an essay.\nIt has two lines of prose and no papers in it at all.\n")
    with pytest.raises(InputError, match="in no known format"):
        extract_file(path)


def test_parallel_extraction_gives_what_one_by_one_gives(monkeypatch, tmp_path):
    """Many files are read by a process pool; results come in the order named, identical to a serial run."""
    import sys

    from kg.extract import extract_paths

    extract_module = sys.modules["kg.extract"]  # kg.extract is also the name of a function in kg

    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    names = [str(FIXTURES / "sources"), str(tmp_path / "missing.txt"), str(tmp_path / "broken.json"),
             str(FIXTURES / "hf_sample.txt")]  # fmt: skip

    def outcome():
        return [
            (str(item), None) if isinstance(item, Exception) else (item.source, item.format, item.records, item.notes)
            for item in extract_paths(names)
        ]

    monkeypatch.setattr(extract_module, "PARALLEL_MIN_BYTES", 1 << 60)
    serial = outcome()
    monkeypatch.setattr(extract_module, "PARALLEL_MIN_BYTES", 0)
    parallel = outcome()
    assert len(serial) > 5 and any(item[1] is None for item in serial)
    assert parallel == serial
