"""Integration tests of ideas: submit, refine, withdraw, vote, follow (services, pages, API)."""
