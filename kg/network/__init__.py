"""The graph as networks: the read model every view shares, and its NetworkX projections."""
