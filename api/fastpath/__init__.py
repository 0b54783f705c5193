"""Fast paths for hot read operations; see handler.py."""
