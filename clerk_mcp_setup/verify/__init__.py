"""Start written entries exactly as their clients would and list their tools (see core.py)."""
