"""Notes: where they sit (anchoring), how they travel (formats), how they change (service)."""
