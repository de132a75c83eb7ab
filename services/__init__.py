"""Use cases shared by chat, the command line and the web desk.

Each owns its transaction and returns a result or a problem worded for a person; callers only
translate input and output."""
