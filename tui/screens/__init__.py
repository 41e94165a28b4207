"""Screens: each wires widgets into one view (reader, compare, coverage, search, notes, help)."""
