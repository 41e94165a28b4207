"""Analysis: sentences and entities (spaCy), canonical names, claims and links."""
