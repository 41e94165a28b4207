"""`treaty-tui serve`: the same reader in a web browser, for those who cannot SSH.

textual-serve runs one reader per browser tab (each its own process, the same
`treaty-tui` command) and draws it with xterm.js. Its page asks Google for a
font; here the page is rewritten to use the font textual-serve ships, so it
works offline and sends nothing to other hosts. The server listens on the
loopback address unless told otherwise: the reader shows the whole library.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_REMOTE_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf"); }
    </style>"""


def offline_templates() -> Path:
    """textual-serve's page templates with the remote font replaced by its bundled one."""
    import textual_serve
    from platformdirs import user_cache_dir

    source = Path(textual_serve.__file__).parent / "templates"
    target = Path(user_cache_dir("treaty-tui")) / "web-templates"
    target.mkdir(parents=True, exist_ok=True)
    for page in source.glob("*.html"):
        text = _REMOTE_FONT.sub(LOCAL_FONT, page.read_text("utf-8"))
        (target / page.name).write_text(text, "utf-8")
    return target


def serve(home: Path, host: str, port: int) -> None:
    from textual_serve.server import Server

    if host not in LOOPBACK:
        print(
            f"treaty-tui: serving on {host}: anyone who can reach it reads your library",
            file=sys.stderr,
        )
    command = shlex.join([sys.executable, "-m", "tui.cli", "--data-dir", str(home)])
    Server(
        command, host=host, port=port, title="treaty-tui", templates_path=offline_templates()
    ).serve()
