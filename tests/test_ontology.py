"""ontology/kg.ttl and kg/namespace.py stay in step, and every term the build uses is declared."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.graph import KnowledgeGraph
from kg.namespace import KG, KG_NS, ontology_file

EXTERNAL = ("https://schema.org/", "http://xmlns.com/foaf/0.1/", "http://purl.org/dc/terms/",
            "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
            "http://prismstandard.org/namespaces/basic/2.0/", "http://purl.org/spar/cito/")  # fmt: skip
ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
              SKOS.closeMatch, SKOS.relatedMatch, SKOS.exactMatch)  # fmt: skip


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file("kg.ttl"), format="turtle")


def declared_terms(ontology: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s)[len(KG_NS) :] for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(KG_NS)
    }


def test_namespace_and_ontology_declare_the_same_terms(ontology):
    assert declared_terms(ontology) == set(KG.names)


def test_every_term_is_labelled_and_aligned_outside_kg(ontology):
    for name in KG.names:
        term = rdflib.URIRef(KG_NS + name)
        assert ontology.value(term, RDFS.label) is not None, name
        targets = {str(o) for p in ALIGNMENTS for o in ontology.objects(term, p)}
        assert any(t.startswith(EXTERNAL) for t in targets), f"kg:{name} is aligned to no external vocabulary"


def test_ontology_and_shapes_parse_with_a_strict_parser():
    for name in ("kg.ttl", "shapes.ttl"):
        assert list(pyoxigraph.parse(path=str(ontology_file(name)), format=pyoxigraph.RdfFormat.TURTLE))


def test_undeclared_term_is_an_error():
    with pytest.raises(AttributeError):
        _ = KG.Paperz


def test_every_kg_term_used_by_a_build_is_declared(ontology, seed_graph):
    used = set()
    for quad in seed_graph.sorted_quads():
        for term in (quad.predicate, quad.object):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(KG_NS):
                used.add(term.value[len(KG_NS) :])
    assert used, "the build used no kg term"
    assert used <= declared_terms(ontology)


@pytest.fixture(scope="module")
def seed_graph() -> KnowledgeGraph:
    from test_graph import PAGES

    from kg.pipeline import build

    return build(PAGES).graph
