"""Maps for bibliometric mapping tools: VOSviewer's JSON network and Pajek's ``.net``.

Both writers take any NetworkX view of :mod:`kg.network.projections` (nodes
with ``label`` and ``type``, edges with an optional ``weight``) and number its
nodes 1..N in one order (:func:`map_order`), so item ``7`` of a VOSviewer map is
vertex ``7`` of the Pajek file written from the same view.

VOSviewer JSON (as documented for VOSviewer Online,
https://app.vosviewer.com/docs/file-types/json-file-type/):

- ``network.items``: ``id`` (1..N), ``label``, ``description`` (HTML, every
  value escaped), ``cluster`` (the community :func:`kg.analysis.measures.analyze`
  reports for the node, numbered as ``kg analyze`` numbers them; VOSviewer takes
  clusters 1 to 1000 only, so a node of a community numbered higher has none),
  ``weights`` (``Links``, ``Total link strength`` and, when the view has nodes
  other than papers, ``Documents``: the node's papers) and ``scores``
  (``Avg. pub. year`` where a year is known);
- ``network.links``: ``source_id``, ``target_id``, ``strength`` (the edge's
  ``weight``, 1 without one). VOSviewer links have no direction: the two edges
  of a directed pair become one link with the sum of their weights, and a
  node's edge to itself is left out;
- ``config.terminology`` names items and links for the projections kg knows;
- ``x`` and ``y`` only for a map without links (VOSviewer lays a map out from
  its links, and refuses one with neither): the items on a circle.

VOSviewer opens a map of at least three items.

Pajek: ``*Vertices N`` with quoted labels, then ``*Edges`` (undirected views)
or ``*Arcs`` (directed ones) as ``source target weight``. Pajek has no escape
for a quote inside a label, so a label's double quotes become single quotes,
its line breaks and other whitespace runs one space, its control characters
are dropped, and a backslash that would end it is dropped too (readers that
honour backslash escapes, such as NetworkX's, would otherwise run past the
closing quote). Labels are not made unique: two authors kg keeps apart under
one name are two vertices with one label.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a", type="author", label='Ann "A" Lee')
>>> g.add_node("b", type="author", label="Bo <Chen>")
>>> g.add_edge("a", "b", weight=2)
>>> print(pajek_text(g), end="")
*Vertices 2
1 "Ann 'A' Lee"
2 "Bo <Chen>"
*Edges
1 2 2
>>> network = vosviewer_map(g)["network"]
>>> network["links"], network["items"][1]["weights"], network["items"][1]["cluster"]
([{'source_id': 1, 'target_id': 2, 'strength': 2}], {'Links': 1, 'Total link strength': 2}, 1)
>>> "Bo &lt;Chen&gt;" in network["items"][1]["description"]
True
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Any

from kg.text import sanitize_text

# VOSviewer takes clusters 1..MAX_CLUSTER (VOSviewer Online refuses a file with a higher one).
MAX_CLUSTER = 1000

# How VOSviewer should name items and links of the projections kg knows (config.terminology).
TERMINOLOGY: Mapping[str, Mapping[str, str]] = {
    "coauthor": {
        "item": "Author",
        "items": "Authors",
        "link": "Co-authorship link",
        "links": "Co-authorship links",
        "link_strength": "Joint papers",
        "total_link_strength": "Total joint papers",
    },
    "org": {
        "item": "Organization",
        "items": "Organizations",
        "link": "Collaboration link",
        "links": "Collaboration links",
        "link_strength": "Shared papers",
        "total_link_strength": "Total shared papers",
    },
    "topic": {
        "item": "Topic",
        "items": "Topics",
        "link": "Co-occurrence link",
        "links": "Co-occurrence links",
        "link_strength": "Co-occurrences",
        "total_link_strength": "Total co-occurrences",
    },
    "author-topic": {
        "item": "Author or topic",
        "items": "Authors and topics",
        "link": "Author-topic link",
        "links": "Author-topic links",
        "link_strength": "Papers",
        "total_link_strength": "Total papers",
    },
}


def map_order(graph: Any) -> list[Hashable]:
    """The nodes of ``graph`` in the order both writers number them (1..N): sorted by their names.

    Examples
    --------
    >>> import networkx as nx
    >>> map_order(nx.Graph([("b", "a"), ("c", "a")]))
    ['a', 'b', 'c']
    """
    return sorted(graph, key=str)


def numbered_communities(graph: Any) -> dict[Hashable, int]:
    """Each node's community, numbered from 1 as ``kg analyze`` numbers them (largest first).

    The communities are those of :meth:`kg.analysis.measures.Centralities.communities`
    (seeded Louvain over edge weights, a directed graph taken as undirected).

    Examples
    --------
    >>> import networkx as nx
    >>> numbered_communities(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))["e"]
    1
    """
    from kg.analysis.measures import Centralities

    # The order of kg.analysis.measures.analyze: size, largest first, then the smallest node.
    communities = sorted(Centralities(graph).communities(), key=lambda c: (-len(c), min(c)))
    return {node: index for index, members in enumerate(communities, start=1) for node in members}


def _strength(value: Any) -> int | float:
    """An edge weight as a link strength: a non-negative finite number (an integer when it is one); else 0."""
    try:
        number = float(1 if value is None else value)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(number) or number < 0:
        return 0
    return int(number) if number.is_integer() else number


def _links(graph: Any, ids: Mapping[Hashable, int]) -> dict[tuple[int, int], int | float]:
    """``(source_id, target_id) -> strength``, one link per pair of distinct nodes (smaller id first)."""
    links: defaultdict[tuple[int, int], int | float] = defaultdict(int)
    for a, b, data in graph.edges(data=True):
        if a == b:
            continue
        pair = (ids[a], ids[b]) if ids[a] < ids[b] else (ids[b], ids[a])
        links[pair] += _strength(data.get("weight"))
    return dict(sorted(links.items()))


def _year(text: Any) -> int | None:
    if isinstance(text, int):
        return text
    if isinstance(text, str) and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def _years(graph: Any, data: Any) -> dict[Hashable, list[int]]:
    """The publication years behind each node: a paper's own, else those of the node's papers in ``data``."""
    years: dict[Hashable, list[int]] = {}
    for node, attributes in graph.nodes(data=True):
        if data is not None and node in data.papers:
            found = [data.papers[node].year]
        elif data is not None and node in data.papers_of:
            found = [data.papers[p].year for p in data.papers_of[node] if p in data.papers]
        else:
            found = [_year(attributes.get("year")) or _year(attributes.get("date"))]
        years[node] = [year for year in found if year is not None]
    return years


def _average(values: list[int]) -> int | float:
    mean = round(sum(values) / len(values), 2)
    return int(mean) if mean.is_integer() else mean


def _plain(text: Any) -> str:
    """``text`` on one line, without control characters."""
    return " ".join(sanitize_text(str(text)).split())


def _html(text: Any) -> str:
    """``text`` as HTML text: escaped, and with no ``{name}`` in one text node, which VOSviewer Online would take
    for a template placeholder (an unknown one blanks the whole text): an empty element splits each ``{``.

    Examples
    --------
    >>> _html('<b>"{BERT}"</b>')
    '&lt;b&gt;&quot;{<span></span>BERT}&quot;&lt;/b&gt;'
    """
    return html.escape(_plain(text)).replace("{", "{<span></span>")


def _description(node: Hashable, attributes: Mapping[str, Any], documents: int | None, years: list[int]) -> str:
    """HTML for VOSviewer's item panel, in its default styles' classes; every value escaped."""
    kind = str(attributes.get("type") or "node")
    parts = [
        f"<div class='description_heading'>{_html(kind.capitalize())}</div>",
        f"<div class='description_label'>{_html(attributes.get('label') or node)}</div>",
    ]
    facts = []
    if kind == "paper" and attributes.get("date"):
        facts.append(str(attributes["date"]))
    elif years:
        first, last = min(years), max(years)
        facts.append(f"{first}" if first == last else f"{first}–{last}")
    if documents is not None and kind != "paper":
        facts.append(f"{documents} paper{'s' if documents != 1 else ''}")
    if facts:
        parts.append(f"<div class='description_text'>{_html(', '.join(facts))}</div>")
    parts.append(f"<div class='description_text'>{_html(node)}</div>")
    return "".join(parts)


def vosviewer_map(graph: Any, data: Any = None, projection: str | None = None) -> dict:
    """``graph`` as a VOSviewer JSON network (a dict to dump as JSON; see the module documentation).

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A view of :mod:`kg.network.projections`.
    data : kg.network.readmodel.GraphData, optional
        What the view was made of: gives each node its papers (``Documents``) and years.
        Without it, a node's year is its ``year`` or ``date`` attribute, and there are no ``Documents``.
    projection : str, optional
        The view's name: names items and links (``config.terminology``) and titles the map.

    Examples
    --------
    >>> from kg.network.readmodel import GraphData, Paper
    >>> from kg.network.projections import projection
    >>> data = GraphData(papers={"p": Paper("P", year=2020), "q": Paper("Q", year=2022)},
    ...                  labels={"a": ("author", "Ann", None), "b": ("author", "Bo", None)},
    ...                  authored=(("a", "p"), ("b", "p"), ("a", "q")))
    >>> items = vosviewer_map(projection(data, "coauthor"), data, "coauthor")["network"]["items"]
    >>> [(i["id"], i["label"], i["weights"]["Documents"], i["scores"]) for i in items]
    [(1, 'Ann', 2, {'Avg. pub. year': 2021}), (2, 'Bo', 1, {'Avg. pub. year': 2020})]
    """
    order = map_order(graph)
    ids = {node: index for index, node in enumerate(order, start=1)}
    links = _links(graph, ids)
    degree: defaultdict[int, int] = defaultdict(int)
    total: defaultdict[int, int | float] = defaultdict(int)
    for (a, b), strength in links.items():
        for end in (a, b):
            degree[end] += 1
            total[end] += strength
    community = numbered_communities(graph)
    years = _years(graph, data)
    count_documents = data is not None and any(graph.nodes[n].get("type") != "paper" for n in order)
    items = []
    for node in order:
        attributes = graph.nodes[node]
        number = ids[node]
        documents = None
        if count_documents:
            documents = 1 if node in data.papers else len(data.papers_of.get(node, ()))
        item: dict[str, Any] = {
            "id": number,
            "label": _plain(attributes.get("label") or node),
            "description": _description(node, attributes, documents, years[node]),
        }
        if community.get(node, MAX_CLUSTER + 1) <= MAX_CLUSTER:
            item["cluster"] = community[node]
        weights = {"Links": degree[number], "Total link strength": total[number]}
        if documents is not None:
            weights["Documents"] = documents
        item["weights"] = weights
        item["scores"] = {"Avg. pub. year": _average(years[node])} if years[node] else {}
        items.append(item)
    if not links and len(items) > 1:
        # VOSviewer lays a map out from its links; without any it needs coordinates: a circle, in map order.
        for index, item in enumerate(items):
            angle = 2 * math.pi * index / len(items)
            item["x"], item["y"] = round(math.cos(angle), 4), round(math.sin(angle), 4)
    result: dict[str, Any] = {
        "network": {
            "items": items,
            "links": [{"source_id": a, "target_id": b, "strength": s} for (a, b), s in links.items()],
        }
    }
    if projection in TERMINOLOGY:
        result["config"] = {"terminology": dict(TERMINOLOGY[projection])}
    if projection:
        result["info"] = {"title": f"kg: {projection} network"}
    return result


def vosviewer_json(graph: Any, data: Any = None, projection: str | None = None) -> bytes:
    """:func:`vosviewer_map` as the bytes of a JSON file (ASCII: any reader decodes it, whatever its charset)."""
    import json

    return json.dumps(vosviewer_map(graph, data, projection), ensure_ascii=True, allow_nan=False).encode("ascii")


def pajek_label(label: Any) -> str:
    r"""``label`` as it goes between the quotes of a Pajek vertex line (see the module documentation).

    Examples
    --------
    >>> pajek_label('Say "hi"\n\tto C:\\')
    "Say 'hi' to C:"
    """
    text = " ".join(sanitize_text(str(label)).replace('"', "'").split())
    return text.rstrip("\\").rstrip()


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def pajek_text(graph: Any) -> str:
    """``graph`` as a Pajek network: ``*Vertices``, then ``*Arcs`` (directed) or ``*Edges`` with weights.

    A vertex without a label is labelled by its node name; an edge without a weight has weight 1.

    Examples
    --------
    >>> import networkx as nx
    >>> print(pajek_text(nx.DiGraph([("q", "p")])), end="")
    *Vertices 2
    1 "p"
    2 "q"
    *Arcs
    2 1 1
    """
    order = map_order(graph)
    ids = {node: index for index, node in enumerate(order, start=1)}
    lines = [f"*Vertices {len(order)}"]
    for node in order:
        label = pajek_label(graph.nodes[node].get("label") or "") or pajek_label(node)
        lines.append(f'{ids[node]} "{label}"')
    directed = graph.is_directed()
    lines.append("*Arcs" if directed else "*Edges")
    edges = []
    for a, b, data in graph.edges(data=True):
        ends = (ids[a], ids[b]) if directed or ids[a] <= ids[b] else (ids[b], ids[a])
        edges.append((*ends, _number(_strength(data.get("weight")))))
    lines.extend(f"{a} {b} {weight}" for a, b, weight in sorted(edges))
    return "\n".join(lines) + "\n"
