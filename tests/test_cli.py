"""The kg command line, in process and as the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from kg.cli import main
from kg.extractors import formats


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_extract_prints_json_lines(fixtures, capsys):
    code, out, err = run(["extract", str(fixtures / "profile_sample.txt")], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 6
    assert list(records[0])[:14] == [
        "title", "authors", "authors_truncated", "author_count", "orgs", "date", "date_inferred",
        "categories", "venue", "has_code", "upvotes", "abstract", "ids", "source",
    ]  # fmt: skip
    assert "6 paper(s) from 1 input(s); 0 input(s) failed" in err


def test_list_formats(capsys):
    code, out, _ = run(["extract", "--list-formats"], capsys)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == [f.name for f in formats()]
    assert {"profile-text", "hf-papers", "lab-page", "bibtex", "arxiv-atom", "dblp-xml", "html", "listing-text"} <= set(
        listed
    )


def test_bad_inputs_do_not_stop_the_others(tmp_path, fixtures, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "essay.txt").write_text("Nothing but prose here.\n")
    shutil.copy(fixtures / "hf_sample.txt", tmp_path / "hf.txt")
    code, out, err = run(["extract", str(tmp_path), str(tmp_path / "missing.txt")], capsys)
    assert code == 1
    assert len(out.splitlines()) == 4
    errors = [line for line in err.splitlines() if line.startswith("kg: error:")]
    assert errors == [
        f"kg: error: {tmp_path / 'empty.txt'}: empty file",
        f"kg: error: {tmp_path / 'essay.txt'}: in no known format (see kg extract --list-formats)",
        f"kg: error: {tmp_path / 'image.png'}: binary file (contains NUL bytes), not text",
        f"kg: error: {tmp_path / 'missing.txt'}: no such file or directory",
    ]
    assert "Traceback" not in err


def test_not_utf8_is_read_with_a_note(tmp_path, capsys):
    path = tmp_path / "latin.txt"
    path.write_bytes("LGSep 25, 2023\nTitleJosé Núñez, Ana Pérez\nRésumé.\n".encode("latin-1"))
    code, out, err = run(["extract", str(path)], capsys)
    assert code == 0
    assert json.loads(out)["authors"][0]["name"] == "José Núñez"
    assert "decoded as cp1252" in err


def test_format_option_and_unknown_format(fixtures, capsys):
    code, out, _ = run(["extract", "--format", "listing-text", str(fixtures / "hf_sample.txt")], capsys)
    assert code in (0, 1)
    code, out, err = run(["extract", "--format", "nope", str(fixtures / "hf_sample.txt")], capsys)
    assert code == 2 and out == ""
    known = ", ".join(f.name for f in formats())
    assert err.strip() == f"kg: error: unknown format 'nope' (known: {known})"


def test_as_of_and_org_options(fixtures, capsys):
    code, out, _ = run(["extract", "--as-of", "2026-08-01", "--org", "HF", str(fixtures / "hf_sample.txt")], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and records[1]["date"] == "2026-07-10" and records[1]["orgs"] == ["HF"]


def test_bad_as_of_is_a_usage_error(fixtures, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["extract", "--as-of", "yesterday", str(fixtures / "hf_sample.txt")])
    assert caught.value.code == 2
    assert "'yesterday' is not a date in YYYY-MM-DD form" in capsys.readouterr().err


def test_guess_is_announced_even_when_quiet(tmp_path, capsys):
    path = tmp_path / "cv.txt"
    path.write_text("Meta-Learning in Practice\nChelsea Finn, Kelvin Xu\n2019\n")
    code, out, err = run(["extract", "-q", str(path)], capsys)
    assert code == 0 and json.loads(out)["title"] == "Meta-Learning in Practice"
    assert err.strip() == f"kg: warning: {path}: layout guessed as listing-text"


def test_stdin(fixtures, monkeypatch, capsys):
    import io

    data = (fixtures / "lab_sample.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(["extract", "-"], capsys)
    assert code == 0 and len(out.splitlines()) == 3
    assert json.loads(out.splitlines()[0])["source"]["path"] == "<stdin>"


def test_a_pipe_from_extract_to_build_and_a_graph_on_stdout(fixtures, tmp_path):
    kg = f"{sys.executable} -m kg"
    page = fixtures / "hf_sample.txt"
    command = f"{kg} extract {page} -q | {kg} build - -o - -q"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    from kg.graph import KnowledgeGraph

    (tmp_path / "piped.ttl").write_text(done.stdout, encoding="utf-8")
    piped = KnowledgeGraph.load(tmp_path / "piped.ttl")
    titles = {row["t"] for row in piped.query("SELECT ?t WHERE { ?p kg:title ?t }").as_dicts()}
    assert "Universal Transformers" in titles and len(titles) == 4


def test_console_script_runs(fixtures):
    script = shutil.which("kg")
    command = [script] if script else [sys.executable, "-m", "kg"]
    done = subprocess.run(
        [*command, "extract", str(fixtures / "hf_sample.txt")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 4


def test_broken_pipe_is_quiet(fixtures):
    command = f"{sys.executable} -m kg extract {fixtures / 'profile_sample.txt'} | head -c 10"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr


def test_a_build_where_every_input_failed_keeps_the_previous_output(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.ttl"
    out.write_text("# the previous graph\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "empty.txt"), "-o", str(out)]) == 1
    assert "no input could be read; " in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# the previous graph\n"


def test_explain_shows_every_score_and_the_choice(fixtures, tmp_path, capsys):
    guessed = tmp_path / "cv.txt"
    guessed.write_text("Meta-Learning in Practice\nChelsea Finn, Kelvin Xu\n2019\n")
    code, out, err = run(["extract", "--explain", str(fixtures / "hf_sample.txt"), str(guessed)], capsys)
    assert code == 0 and err == ""
    assert f"{fixtures / 'hf_sample.txt'}: hf-papers scored 0.71, at least the threshold 0.3" in out
    assert f"{guessed}: no format scored 0.3 or more; the fallback listing-text guesses (score 0.20)" in out
    rows = [line.split("│")[1:-1] for line in out.splitlines() if line.startswith("│")]
    first_table = [[cell.strip() for cell in row] for row in rows[: len(formats())]]
    assert {row[0] for row in first_table} == {f.name for f in formats()}  # every registered format, once
    assert first_table[0] == ["hf-papers", "0.71", "", "yes"]
    scores = [float(row[1]) for row in first_table]
    assert scores == sorted(scores, reverse=True)
    assert ["listing-text", "0.20", "fallback (guesses)", "yes"] in [[c.strip() for c in r] for r in rows]
    assert '"title"' not in out  # explains only: no record is printed


def test_explain_none_and_unreadable(tmp_path, capsys):
    prose = tmp_path / "essay.txt"
    prose.write_text("Some prose without names or dates.\n")
    code, out, err = run(["extract", "--explain", str(prose), str(tmp_path / "missing.txt")], capsys)
    assert code == 1
    assert f"{prose}: no format scored 0.3 or more, and no fallback guessed" in out
    assert "yes" not in out
    assert err.strip() == f"kg: error: {tmp_path / 'missing.txt'}: no such file or directory"


def test_misspelt_commands_and_options_get_a_suggestion_and_their_own_usage(capsys):
    with pytest.raises(SystemExit) as status:
        main(["buidl", "x.txt"])
    assert status.value.code == 2 and "(did you mean build?)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "a.txt", "--ouput", "x.ttl"])
    err = capsys.readouterr().err
    assert (
        err.startswith("usage: kg build ") and "unrecognized arguments: --ouput x.ttl (did you mean --output?)" in err
    )
    with pytest.raises(SystemExit):  # an abbreviation is a typo, not the option it starts
        main(["build", "a.txt", "-o", "x.ttl", "--max-topic", "3"])
    assert "(did you mean --max-topics?)" in capsys.readouterr().err


def test_version(capsys):
    import kg

    with pytest.raises(SystemExit) as status:
        main(["--version"])
    assert status.value.code == 0 and capsys.readouterr().out.strip() == f"kg {kg.__version__}"


def test_tables_fit_the_width_cutting_text_never_numbers(tmp_path, fixtures, capsys, monkeypatch):
    graph = tmp_path / "g.ttl"
    assert main(["build", str(fixtures / "hf_sample.txt"), "-o", str(graph), "-q"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "60")
    query = "SELECT ?title (STRLEN(?title) * 1000 AS ?n) WHERE { ?p kg:title ?title } ORDER BY DESC(?n)"
    assert main(["query", str(graph), query]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 60
    rows = [line.split("│") for line in lines if line.startswith("│")]
    assert rows and rows[0][1].rstrip().endswith("…")  # the longest title is cut
    assert all(row[2].strip().isdigit() and row[2].strip().endswith("000") for row in rows)  # numbers are whole
