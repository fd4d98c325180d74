"""Past one machine: serve a store over SPARQL 1.1, push a graph to a server, query a remote endpoint.

- :mod:`kg.remote.server`: :func:`serve` serves a store folder for as long
  as a ``with`` block: the Oxigraph server on a private port behind kg's own
  front (:mod:`kg.remote.gateway`), which checks Host and Origin, the size,
  depth and ``SERVICE`` calls of every query, and stops a query past its time
  limit; bound to localhost, read-only unless asked;
- :mod:`kg.remote.client`: :func:`query_endpoint` asks any SPARQL 1.1
  Protocol endpoint (and warns, :class:`RowCapWarning`, when the answer stops
  at the server's row cap), :func:`push` loads a graph into any Graph Store
  Protocol server as one build (:func:`build_name`), so that builds pushed
  into one server keep their own counts; both send through kg's one HTTP
  client, :func:`kg.io.http.request_answer`.

Examples
--------
>>> from kg.remote import push, query_endpoint, serve
>>> push(None, "file:///tmp/store", build="seeds")
Traceback (most recent call last):
...
kg.errors.UsageError: file:///tmp/store: an endpoint must be an http(s) URL
"""

from kg.remote.client import Pushed, RowCapWarning, build_name, push, query_endpoint, with_prefixes
from kg.remote.server import RunningServer, free_port, serve, server_executable

__all__ = [
    "Pushed",
    "RowCapWarning",
    "RunningServer",
    "build_name",
    "free_port",
    "push",
    "query_endpoint",
    "serve",
    "server_executable",
    "with_prefixes",
]
