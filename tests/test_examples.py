"""README's commands on examples/ do what README says."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_examples_extract(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["extract", "examples/pages"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["source"]["format"] for r in records] == ["hf-papers"] * 2 + ["lab-page"] * 2 + ["profile-text"] * 3
    assert all(r["title"] or r["source"]["format"] == "lab-page" for r in records)


def test_readme_sample_output_is_real(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    sample = re.search(r"```json\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    documented = json.loads(sample.group(1))
    assert main(["extract", "examples/pages/profile.txt"]) == 0
    actual = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    match = next(r for r in actual if r["title"] == documented["title"])
    assert match["abstract"].startswith(documented["abstract"].removesuffix("..."))
    documented.pop("abstract"), match.pop("abstract")
    # The key names the file whatever its spelling: a digest of its real path, so it differs per machine.
    assert re.fullmatch(r"[0-9a-f]{16}", match["source"].pop("key")) and documented["source"].pop("key")
    assert match == documented


def test_readme_python_block_runs(tmp_path, monkeypatch):
    import shutil

    block = re.search(
        r"## From Python\n\n```python\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S
    )
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    assert {"name": "Kelvin Xu"} in namespace["rows"]
    assert len(namespace["papers"]) == 3
    assert namespace["problems"] == []
    assert len(namespace["rdflib_dataset"]) > 0
    assert namespace["stored"].status == 0 and namespace["added"].change == "added"
    assert namespace["in_place"].canonical_nquads() == namespace["added"].graph.canonical_nquads()


def test_readme_build_note_is_real(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"kg: note: wrote examples.trig \(TriG\): (.*)", readme).group(1)
    assert main(["build", "examples/pages", "-o", str(tmp_path / "examples.trig")]) == 0
    assert documented in capsys.readouterr().err
