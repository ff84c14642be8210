"""Questions feature."""
