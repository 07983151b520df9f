"""Full-text search over challenges, ideas and lessons (Whoosh, fed by the database outbox)."""
