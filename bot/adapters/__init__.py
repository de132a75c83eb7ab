"""Channel adapters: the only modules that import a messenger SDK or HTTP client."""
