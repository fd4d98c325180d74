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
    assert match == documented
