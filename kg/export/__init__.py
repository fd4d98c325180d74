"""Views of the knowledge graph for other tools: NetworkX graphs (GraphML, GEXF) and an HTML page."""
