"""The HTML page in a real headless browser (Debian's Chromium driven by Playwright), network off.

Skips, with the reason, only where no Chromium or no Playwright is installed (.ci/run installs both).
Every wait is bounded: a page that never draws fails, it does not hang.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

from kg.analysis.measures import analyze
from kg.export.html import render_page, write_page
from kg.graph import KnowledgeGraph
from kg.network.projections import projection
from kg.network.readmodel import load_graph_data
from kg.pipeline import build
from kg.records import AuthorRef, Record, SourceRef

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_AUTHOR = "</script><script>alert(2)</script>"
HOSTILE_URL = "javascript:alert(3)"
CANDIDATES = ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
CHROMIUM = next((p for p in CANDIDATES if p and Path(p).exists()), None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if CHROMIUM is None:
        skip_unless_required("browser", "no Chromium installed (apt-get install chromium); .ci/run installs it")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        yield chromium
        chromium.close()


class Opened:
    """A page opened with every non-file request blocked and every error and dialog recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.page.set_default_timeout(WAIT_MS)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        deadline = time.monotonic() + 30
        # Polled through evaluate(): the page's Content-Security-Policy forbids the eval
        # that Playwright's wait_for_function would use.
        while not self.page.evaluate("() => !!(window.kgGraph && window.kgGraph.settled)"):
            assert time.monotonic() < deadline, "the page never drew itself"
            time.sleep(0.05)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def js(self, script: str, argument=None):
        return self.page.evaluate(script, argument)

    def click_node(self, node_id: str) -> None:
        point = self.js("(id) => window.kgGraph.screen(id)", node_id)
        self.page.mouse.click(point["x"], point["y"])

    def node_id(self, label: str) -> str:
        return self.js("(t) => window.kgGraph.nodes.find(n => n.label === t).id", label)

    def shown(self) -> int:
        return self.js("() => window.kgGraph.shown")

    def clean(self) -> bool:
        return self.errors == [] and self.blocked == [] and self.dialogs == []


def opened(browser, tmp_path, page, name="graph.html") -> Opened:
    path = tmp_path / name
    write_page(page, str(path))
    return Opened(browser, path)


def record(title, authors, line, **fields) -> Record:
    return Record(title=title, authors=tuple(AuthorRef(a) for a in authors), source=SourceRef("list.txt", line, "test"),
                  **fields)  # fmt: skip


def two_groups() -> KnowledgeGraph:
    """Two groups of four who write together, joined by one paper: two communities for kg analyze."""
    group_a = ["Ann Alder", "Abe Ash", "Ada Aspen", "Al Acacia"]
    group_b = ["Bea Birch", "Bo Beech", "Bill Bay", "Bess Balsa"]
    records = [record(f"A{i}", group_a, i, date=f"{2018 + i}") for i in range(3)]
    records += [record(f"B{i}", group_b, 10 + i, date=f"{2018 + i}") for i in range(3)]
    records.append(record("Bridge", ["Ann Alder", "Bea Birch"], 20, date="2022"))
    return KnowledgeGraph.from_records(records)


def hostile_graph() -> KnowledgeGraph:
    records = [
        record(HOSTILE_TITLE, [HOSTILE_AUTHOR, "Kelvin Xu"], 1, categories=("LG",),
               ids={"url": HOSTILE_URL, "doi": "10.1000/xyz"}, abstract="A paper on reinforcement learning."),
        record("Show, Attend and Tell", ["Kelvin Xu", "Jimmy Ba"], 3),
    ]  # fmt: skip
    return KnowledgeGraph.from_records(records)


def test_page_loads_offline_with_every_node_and_no_errors(browser, tmp_path):
    graph = build([str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]).graph
    page = render_page(graph)
    view = opened(browser, tmp_path, page)
    assert view.js("() => window.kgGraph.nodes.length") == page.shown == page.total == view.shown()
    assert view.js("() => window.kgGraph.edges.length") == page.edges
    assert view.js("() => window.kgGraph.labelled.length") > 0  # the central nodes are named on the canvas
    assert view.clean()
    view.page.fill("#search", "vaswani")
    assert view.page.text_content("#matches") == "1 match"
    assert "Vaswani" in view.page.inner_text("#panel")
    view.page.close()


def test_positions_are_computed_before_the_page_opens_and_stay(browser, tmp_path):
    page = render_page(two_groups(), projection="coauthor")
    view = opened(browser, tmp_path, page)
    nodes = view.js("() => window.kgGraph.nodes.map(n => [n.id, n.x, n.y])")
    assert nodes and all(isinstance(x, (int, float)) and isinstance(y, (int, float)) for _, x, y in nodes)
    assert len({(x, y) for _, x, y in nodes}) == len(nodes)  # no two nodes in one place
    # vis-network holds them where kg put them (in whole units, as it reads them), its physics off: nothing moves.
    assert all(x == int(x) and y == int(y) for _, x, y in nodes)
    assert view.js("() => window.kgGraph.positions()") == nodes and view.js("() => window.kgGraph.physics()") is False
    first = view.js("() => window.kgGraph.nodes.map(n => window.kgGraph.screen(n.id))")
    time.sleep(0.5)
    assert view.js("() => window.kgGraph.nodes.map(n => window.kgGraph.screen(n.id))") == first
    assert view.js("() => window.kgGraph.positions()") == nodes
    view.page.close()


def test_communities_are_those_of_kg_analyze_each_with_its_colour(browser, tmp_path):
    graph = two_groups()
    page = render_page(graph, projection="coauthor")
    view = opened(browser, tmp_path, page)
    colour = {label: view.js("(id) => window.kgGraph.colour(id)", view.node_id(label))
              for label in ("Ann Alder", "Abe Ash", "Ada Aspen", "Bea Birch", "Bo Beech", "Bill Bay")}  # fmt: skip
    assert colour["Ann Alder"] == colour["Abe Ash"] == colour["Ada Aspen"]
    assert colour["Bea Birch"] == colour["Bo Beech"] == colour["Bill Bay"]
    assert colour["Ann Alder"] != colour["Bea Birch"]
    ranking = analyze(projection(load_graph_data(graph), "coauthor"), top=0).ranking
    analysed = {row["label"]: row["community"] for row in ranking}
    on_page = view.js("() => Object.fromEntries(window.kgGraph.nodes.map(n => [n.label, n.community]))")
    assert on_page == analysed
    legend = view.js("() => window.kgGraph.legend.map(e => e.name)")
    assert legend == ["Ann Alder & co.", "Bea Birch & co."]  # each named by its most central member
    view.page.close()


def test_side_panel_of_a_paper_and_of_an_author(browser, tmp_path):
    graph = KnowledgeGraph.from_records([
        record("Ordered", ["Zed Young", "Amy Adams", "et al."], 7, date="2021-03", venue="ICML",
               ids={"doi": "10.1000/ordered", "arxiv": "2101.00001"}),
        record("Second", ["Amy Adams", "Zed Young"], 9, date="2019"),
        record("Third", ["Amy Adams", "Zed Young"], 11, date="2021"),
    ])  # fmt: skip
    view = opened(browser, tmp_path, render_page(graph))
    view.click_node(view.node_id("Ordered"))
    assert view.page.inner_text("#panel h2") == "Ordered"
    assert view.page.inner_text("#panel-authors") == "Zed Young, Amy Adams et al."  # as printed, not A-Z
    assert view.page.inner_text("#panel-sources") == "list.txt:7"
    assert "ICML" in view.page.inner_text("#panel")
    links = view.js("() => [...document.querySelectorAll('#panel a')].map(a => [a.textContent, a.href])")
    assert links == [
        ["2101.00001", "https://arxiv.org/abs/2101.00001"],
        ["10.1000/ordered", "https://doi.org/10.1000/ordered"],
    ]
    # An author in the list is a way to that author's panel: papers by year, co-authors.
    view.page.click("#panel-authors button:has-text('Amy Adams')")
    assert view.js("() => window.kgGraph.selected()") == view.node_id("Amy Adams")
    assert view.page.inner_text("#panel h2") == "Amy Adams"
    papers = view.page.inner_text("#panel-papers").split("\n")
    assert papers == ["2021", "Ordered", "Third", "2019", "Second"]  # newest first
    assert view.page.inner_text("#panel-coauthors") == "Zed Young (3)"
    assert view.clean()
    view.page.close()


def test_a_node_with_more_papers_than_the_page_lists_says_so(browser, tmp_path, monkeypatch):
    from kg.export import html

    monkeypatch.setattr(html, "NODE_PAPERS", 2)
    monkeypatch.setattr(html, "PANEL_PEOPLE", 1)
    graph = KnowledgeGraph.from_records([
        record("Ordered", ["Amy Adams", "Zed Young"], 7, date="2021-03"),
        record("Second", ["Amy Adams", "Zed Young", "Cy Cole"], 9, date="2019"),
        record("Third", ["Amy Adams", "Zed Young"], 11, date="2021"),
    ])  # fmt: skip
    view = opened(browser, tmp_path, render_page(graph, projection="coauthor"))
    view.click_node(view.node_id("Amy Adams"))
    assert "3 papers, 2019\u20132021" in view.page.inner_text("#panel")
    assert view.page.inner_text("#panel-papers").split("\n") == ["2021", "Ordered", "Third"]
    assert view.page.inner_text("#panel-more") == "the newest 2 shown; 1 older"
    assert view.page.inner_text("#panel-coauthors") == "Zed Young (3)\nand 1 more"  # counted over all papers
    assert view.clean()
    view.page.close()


def test_filters_change_what_is_shown_and_the_counts(browser, tmp_path):
    graph = two_groups()
    view = opened(browser, tmp_path, render_page(graph), "full.html")
    total = view.shown()
    authors = view.js("() => window.kgGraph.nodes.filter(n => n.kind === 'author').length")
    view.page.click("input[data-type='author']")
    assert view.shown() == total - authors
    assert f"Showing {total - authors} of {total} nodes" in view.page.inner_text("#counts")
    view.page.click("input[data-type='author']")
    view.page.fill("#year-from", "2022")
    view.page.dispatch_event("#year-from", "change")
    # Only the bridge paper is from 2022: it and its two authors are left.
    left = view.js("() => window.kgGraph.nodes.filter(n => window.kgGraph.isVisible(n.id)).map(n => n.label)")
    assert sorted(left) == ["Ann Alder", "Bea Birch", "Bridge"]
    view.page.close()
    co = opened(browser, tmp_path, render_page(graph, projection="coauthor"), "co.html")
    assert co.js("() => window.kgGraph.shownEdges") == 13
    co.page.fill("#min-weight", "3")
    co.page.dispatch_event("#min-weight", "input")
    # Each group wrote three papers together; the bridge pair only one.
    assert co.js("() => window.kgGraph.shownEdges") == 12
    assert "12 of 13 edges" in co.page.inner_text("#counts")
    assert co.clean()
    co.page.close()


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    page = render_page(hostile_graph())
    assert "<img src=x" not in page.html and "</script><script>alert" not in page.html
    assert "'unsafe-inline'" not in page.html.split("script-src", 1)[1].split(";", 1)[0]
    view = opened(browser, tmp_path, page)
    node = view.node_id(HOSTILE_TITLE)
    point = view.js("(id) => window.kgGraph.screen(id)", node)
    view.page.mouse.move(point["x"], point["y"])
    tip = "div.vis-tooltip"  # vis-network's tooltip, given plain text
    view.page.wait_for_selector(tip, state="visible")
    assert HOSTILE_TITLE in view.page.inner_text(tip) and HOSTILE_AUTHOR in view.page.inner_text(tip)
    view.page.mouse.click(point["x"], point["y"])
    assert view.page.inner_text("#panel h2") == HOSTILE_TITLE
    assert HOSTILE_AUTHOR in view.page.inner_text("#panel-authors")
    assert HOSTILE_URL in view.page.inner_text("#panel")  # shown, as text
    hrefs = view.js("() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert hrefs == ["https://doi.org/10.1000/xyz"]  # the javascript: URL is no link
    assert view.js("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    # The page runs only its own script: one added later is refused by its Content-Security-Policy.
    view.js("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; "
            "document.body.appendChild(s); }")  # fmt: skip
    assert view.js("() => window.injected === undefined")
    assert view.dialogs == [] and view.blocked == []
    assert all("Content Security Policy" in e for e in view.errors)  # only the refusal just provoked
    view.page.close()


def test_seed_graph_page_has_every_node_and_a_balanced_cap(browser, tmp_path, seeds):
    graph = build([str(seeds)]).graph
    page = render_page(graph)
    view = opened(browser, tmp_path, page, "seeds.html")
    counts = dict(graph.stats()["classes"])
    expected = sum(counts.get(f"kg:{kind}", 0) for kind in ("Paper", "Author", "Topic", "Org"))
    assert view.shown() == page.shown == expected
    # The legend draws each type in the shape its nodes have.
    swatches = view.js("() => [...document.querySelectorAll('#legend .swatch')].map(s => s.className)")
    assert swatches == ["swatch paper", "swatch author", "swatch topic", "swatch org"]
    # The most central nodes are named when the page opens; vis-network draws more labels as one zooms in.
    named = view.js("() => window.kgGraph.labelled")
    assert 10 <= len(named) < expected and "Kelvin Xu" in named
    box = view.page.locator("#network").bounding_box()
    view.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):  # each a tenth closer
        view.page.mouse.wheel(0, -300)
        time.sleep(0.1)
    closer = view.js("() => window.kgGraph.labelled")
    assert view.js("() => window.kgGraph.scale() > 1.5 * window.kgGraph.fitScale") and len(closer) > len(named)
    assert view.clean()
    view.page.close()
    capped = render_page(graph, max_nodes=50)
    view = opened(browser, tmp_path, capped, "capped.html")
    kinds = view.js("() => window.kgGraph.nodes.map(n => n.kind)")
    assert len(kinds) <= 50
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {"paper": 14, "author": 14, "topic": 15, "org": 7}
    assert "raise max_nodes" in view.page.inner_text("#summary")
    view.page.close()
