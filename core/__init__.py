"""The bottom layer: types, ports, texts, settings and pure helpers.

It imports no other package of ours; every other layer may import it."""
