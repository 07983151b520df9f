"""HTML pages of the challenge domain."""
