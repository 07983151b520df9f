"""The challenge domain's part of the JSON API under /api/v1."""
