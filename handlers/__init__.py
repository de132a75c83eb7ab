"""Chat flows: the neutral engine, the router and one module per feature; messenger-free."""
