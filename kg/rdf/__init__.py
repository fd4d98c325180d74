"""RDF: IRIs minted from content, N-Quads text, the writer that maps resolved values to statements, formats."""
