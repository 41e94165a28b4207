"""The `treaty-tui` command: launch the reader, import, list, show, remove, eval.

argparse and lazy imports keep start-up fast: a subcommand imports only what
it uses, and the reader never loads spaCy.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tui import __version__

PROG = "treaty-tui"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read several news reports of one event side by side. "
        "Without a command, opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="library folder (default: $TREATY_TUI_HOME or the user data dir)",
    )
    parser.add_argument("--no-mouse", action="store_true", help="reader: ignore the mouse")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also write what the log file records to stderr",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    add = sub.add_parser(
        "add",
        help="import articles from files, folders or URLs",
        description="Import plain text, Markdown and HTML files, folders "
        "(recursively) and http(s) URLs.",
    )
    add.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    add.add_argument("--story", metavar="NAME", help="put the articles in this story")
    add.add_argument("--source", metavar="NAME", help="name of the outlet (default: from the page)")
    add.add_argument(
        "--quiet", "-q", action="store_true", help="print only failures and the summary"
    )

    listing = sub.add_parser(
        "list",
        help="list the articles in the library",
        description="A table of every article: id, story, source, date, title, "
        "sentences, entities. JSON and CSV rows hold the fields named in the README.",
    )
    _format_option(listing)

    show = sub.add_parser(
        "show",
        help="print an article's text",
        description="Print an article to stdout (usable in a pipe).",
    )
    show.add_argument("id", help="article id or a unique prefix of it")

    search = sub.add_parser(
        "search",
        help="search titles, text and entity names",
        description='Print the sentences that contain every word (a "quoted phrase" as a '
        "phrase, a trailing * as any ending), best first: article id, sentence number, "
        "source and the sentence. The sentence number of a title is -1.",
    )
    search.add_argument("words", nargs="+", help="what to look for")
    search.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    _format_option(search, default="tsv")

    sub.add_parser(
        "paths",
        help="where the library, the configuration and the log live",
        description="Print the library folder, the configuration file and the log file.",
    )

    remove = sub.add_parser(
        "remove",
        help="remove an article",
        description="Remove an article, its links and entity counts.",
    )
    remove.add_argument("id", help="article id or a unique prefix of it")

    claims = sub.add_parser(
        "claims",
        help="a story's claims across its sources",
        description="List a story's claim groups, the most widely reported first: how many "
        "sources report each, the sentence that states it best, every member and which "
        "members differ. --links lists every link instead. JSON and CSV are for scripts.",
    )
    claims.add_argument("story", help="story id (or a unique prefix) or name")
    claims.add_argument("--format", choices=("table", "json", "csv"), default="table")
    claims.add_argument("--links", action="store_true", help="every link, with score and relation")

    report = sub.add_parser(
        "report",
        help="a story's three answers as one document",
        description="Write what most sources agree on, where they differ (values and quotes "
        "side by side, each an update or a contradiction) and what one source alone reports, "
        "with your notes on them: Markdown, one self-contained printable HTML file, or JSON.",
    )
    report.add_argument("story", help="story id (or a unique prefix) or name")
    report.add_argument("--format", choices=("md", "html", "json"), default="md")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")

    follow = sub.add_parser(
        "follow",
        help="follow an RSS or Atom feed",
        description="Follow a feed: `treaty-tui refresh` imports its new entries, each page "
        "read like `add` reads a URL. --list shows the feeds followed.",
    )
    follow.add_argument("url", nargs="?", metavar="FEED_URL")
    follow.add_argument("--story", help="the story its articles join (a name or id)")
    follow.add_argument("--list", action="store_true", help="list the feeds followed")
    unfollow = sub.add_parser("unfollow", help="stop following a feed")
    unfollow.add_argument("url", metavar="FEED_URL", help="the feed's address (or its title)")
    refresh = sub.add_parser(
        "refresh",
        help="import the new entries of the feeds followed",
        description="Ask every feed followed for news (a feed with nothing new costs one "
        "request) and import each new entry's page; one line per article and a summary.",
    )
    refresh.add_argument("--quiet", action="store_true", help="print only failures and the summary")

    serve = sub.add_parser(
        "serve",
        help="serve the reader in a web browser",
        description="Serve the same reader in a web browser (textual-serve): one reader per "
        "tab, on the loopback address unless --host says otherwise.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")

    completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for bash, zsh or fish. For bash: "
        "treaty-tui completion bash > ~/.local/share/bash-completion/completions/treaty-tui",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))

    _notes_parser(sub)
    _story_parser(sub)

    sub.add_parser(
        "seed",
        help="import the bundled sample reports (only into a library that never held anything)",
        description="Import the two bundled sample reports into a story of their own. The "
        "reader does this on its first start; nothing happens once the library has held "
        "any article.",
    )

    sub.add_parser(
        "doctor",
        help="repair a damaged library",
        description="Check every store file; move damaged ones aside (never deleting them), "
        "rebuild the catalog from the article documents and recompute links.",
    )

    ev = sub.add_parser(
        "eval",
        help="score the analysis against gold data",
        description="Score the real pipeline in a temporary store.",
    )
    ev_sub = ev.add_subparsers(dest="kind", metavar="KIND", required=True)
    links = ev_sub.add_parser("links", help="cross-source claim links against gold files")
    links.add_argument("gold", nargs="+", metavar="GOLD.json")
    differs = ev_sub.add_parser(
        "differs", help="`differs` links against the gold conflicts of gold files"
    )
    differs.add_argument("gold", nargs="+", metavar="GOLD.json")
    ents = ev_sub.add_parser("entities", help="entity mentions and canonical names")
    ents.add_argument("gold", metavar="GOLD.json")
    pairs = ev_sub.add_parser("pairs", help="paraphrase pairs (MRPC format) with the link scorer")
    pairs.add_argument("pairs", metavar="PAIRS.tsv")
    ner = ev_sub.add_parser("ner", help="named entities against CoNLL-2003 (PER/LOC/ORG)")
    ner.add_argument("conll", metavar="FILE.conll")
    return parser


def _format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument(
        "--format",
        choices=[default, "json", "csv"],
        default=default,
        help=f"{default} for people (default); json or csv for scripts",
    )


def _story_parser(sub) -> None:
    story = sub.add_parser(
        "story",
        help="list, rename, merge stories; move an article to another story",
        description="Stories are chosen automatically on import; these put them right. "
        "A STORY is its name or id (an id prefix is enough).",
    )
    actions = story.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the stories, latest first")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    rename = actions.add_parser("rename", help="give a story a new name")
    rename.add_argument("story", metavar="STORY")
    rename.add_argument("name", metavar="NAME")
    merge = actions.add_parser("merge", help="move every article of some stories into one")
    merge.add_argument("into", metavar="INTO")
    merge.add_argument("others", metavar="STORY", nargs="+")
    move = actions.add_parser("move", help="move an article to a story (new if none matches)")
    move.add_argument("article", metavar="ARTICLE_ID")
    move.add_argument("story", metavar="STORY")


def _notes_parser(sub) -> None:
    notes = sub.add_parser(
        "notes",
        help="list, export and import notes",
        description="The notes taken in the reader: list and filter them, export them "
        "as Markdown, W3C Web Annotation JSON-LD or CSV, import a JSON-LD export.",
    )
    notes_sub = notes.add_subparsers(dest="action", metavar="ACTION", required=True)
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--tag", default="", help="only notes with this tag")
    filters.add_argument("--story", default="", help="only notes in this story (id or name)")
    filters.add_argument("--article", default="", help="only notes on this article (id prefix)")
    filters.add_argument("--search", default="", metavar="TEXT", help="only notes containing TEXT")
    filters.add_argument("--orphans", action="store_true", help="only orphaned notes")
    _format_option(notes_sub.add_parser("list", parents=[filters], help="a table of notes"))
    export = notes_sub.add_parser("export", parents=[filters], help="write notes to a file")
    export.add_argument("--format", choices=("md", "jsonld", "csv"), default="md")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    imp = notes_sub.add_parser("import", help="add the notes of a JSON-LD export")
    imp.add_argument("file", metavar="FILE.jsonld")
    delete = notes_sub.add_parser("delete", help="delete a note")
    delete.add_argument("id", help="note id or a unique prefix of it")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "completion":  # nothing to log, no library needed
        from tui.completion import script

        sys.stdout.write(script(build_parser(), args.shell))
        return 0
    from tui.logs import log, setup

    setup(args.verbose, args.command or "")
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of a pipe went away (e.g. `treaty-tui show X | head`).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        from store.errors import reason
        from store.plain import visible_line

        print(f"{PROG}: {visible_line(reason(exc))}", file=sys.stderr)
        log.error("failed: %s (%s)", visible_line(reason(exc)), exc.__class__.__name__)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return _launch(args)
    if args.command == "eval":
        from tui.commands import run_eval

        return run_eval(args)
    from tui import commands

    handler = getattr(commands, f"cmd_{args.command}")
    return handler(args)


def build_app(args: argparse.Namespace):
    """The reader for these arguments; imports neither TinyDB nor spaCy."""
    from store.disk.layout import data_home
    from tui.app import TreatyApp

    return TreatyApp(home=data_home(args.data_dir))


def _launch(args: argparse.Namespace) -> int:
    app = build_app(args)
    app.run(mouse=not args.no_mouse)
    if app.error:
        from store.plain import visible_line

        print(f"{PROG}: {visible_line(app.error)}", file=sys.stderr)
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
