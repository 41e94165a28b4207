"""Readers that turn files, folders and URLs into SourceDocuments."""

from store.ingest.sources import SourceDocument, collect_sources, read_source

__all__ = ["SourceDocument", "collect_sources", "read_source"]
