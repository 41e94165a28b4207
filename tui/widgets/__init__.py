"""Widgets: what paints (article, library, side panel, find bar); never imports screens."""
