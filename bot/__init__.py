"""Dân vận bot: channel adapters, CLI and the messenger-neutral core types."""
