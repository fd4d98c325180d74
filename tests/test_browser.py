"""The HTML page in a real headless browser (Debian's Chromium driven by Playwright), network off.

Skips, with the reason, only where no Chromium or no Playwright is installed (.ci/run installs both).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

from kg.export.html import render_page, write_page
from kg.graph import KnowledgeGraph
from kg.pipeline import build
from kg.records import AuthorRef, Record, SourceRef

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_AUTHOR = "</script><script>alert(2)</script>"
CANDIDATES = ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
CHROMIUM = next((p for p in CANDIDATES if p and Path(p).exists()), None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if CHROMIUM is None:
        skip_unless_required("browser", "no Chromium installed (apt-get install chromium); .ci/run installs it")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page opened with every non-file request blocked and every error and dialog recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        deadline = time.monotonic() + 60
        # Polled through evaluate(): the page's Content-Security-Policy forbids the eval
        # that Playwright's wait_for_function would use.
        while not self.page.evaluate("() => !!(window.kgGraph && window.kgGraph.settled)"):
            assert time.monotonic() < deadline, "the layout never settled"
            time.sleep(0.1)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


def hostile_graph() -> KnowledgeGraph:
    records = [
        Record(title=HOSTILE_TITLE, authors=(AuthorRef(HOSTILE_AUTHOR), AuthorRef("Kelvin Xu")), categories=("LG",),
               abstract="A paper on reinforcement learning.", source=SourceRef("evil.html", 1, "test")),
        Record(title="Show, Attend and Tell", authors=(AuthorRef("Kelvin Xu"), AuthorRef("Jimmy Ba")),
               source=SourceRef("ok.txt", 3, "test")),
    ]  # fmt: skip
    return KnowledgeGraph.from_records(records)


def test_page_loads_offline_with_every_node_and_no_errors(browser, tmp_path):
    graph = build([str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]).graph
    page = render_page(graph)
    path = tmp_path / "graph.html"
    write_page(page, str(path))
    opened = Opened(browser, path)
    assert opened.page.evaluate("() => typeof vis !== 'undefined' && typeof vis.Network === 'function'")
    assert opened.page.evaluate("() => window.kgGraph.nodes.length") == page.shown == page.total
    assert opened.page.evaluate("() => window.kgGraph.edges.length") == page.edges
    assert opened.errors == [] and opened.blocked == [] and opened.dialogs == []
    opened.page.fill("#search", "vaswani")
    assert opened.page.text_content("#matches") == "1 match"
    opened.page.click("input[data-type='topic']")
    hidden = opened.page.evaluate("() => window.kgGraph.nodes.get({filter: n => n.hidden}).length")
    assert (
        hidden == opened.page.evaluate("() => window.kgGraph.nodes.get({filter: n => n.kind === 'topic'}).length") > 0
    )
    opened.page.close()


def test_hostile_title_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    page = render_page(hostile_graph())
    path = tmp_path / "hostile.html"
    write_page(page, str(path))
    assert "<img src=x" not in page.html and "</script><script>alert" not in page.html
    opened = Opened(browser, path)
    node = opened.page.evaluate("(t) => window.kgGraph.nodes.get({filter: n => n.label === t})[0].id", HOSTILE_TITLE)
    box = opened.page.locator("#network canvas").bounding_box()
    point = opened.page.evaluate(
        "(id) => window.kgGraph.network.canvasToDOM(window.kgGraph.network.getPositions([id])[id])", node
    )
    opened.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = opened.page.locator("div.vis-tooltip")
    assert HOSTILE_TITLE in tooltip.inner_text()
    assert HOSTILE_AUTHOR in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert opened.page.evaluate("() => document.querySelectorAll('img, iframe').length") == 0
    assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    opened.page.close()


def test_seed_graph_page_has_every_node(browser, tmp_path, seeds):
    graph = build([str(seeds)]).graph
    page = render_page(graph)
    path = tmp_path / "seeds.html"
    write_page(page, str(path))
    opened = Opened(browser, path)
    counts = dict(graph.stats()["classes"])
    expected = sum(counts.get(f"kg:{kind}", 0) for kind in ("Paper", "Author", "Topic", "Org"))
    assert opened.page.evaluate("() => window.kgGraph.nodes.length") == page.shown == expected
    assert opened.errors == [] and opened.blocked == [] and opened.dialogs == []
    opened.page.screenshot(path=str(tmp_path / "seeds.png"))
    opened.page.close()
