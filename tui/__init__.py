"""The treaty-tui reader (Textual) and command line. Never imports tinydb or spacy at start-up."""

__version__ = "0.1.0"
