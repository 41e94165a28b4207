"""`treaty-tui serve` in a real headless browser (Debian's chromium, driven over its
DevTools protocol): the page loads offline, shows the seed story, and a key moves the
cursor. The terminal is drawn on a canvas, so what it shows is read from the
WebSocket frames the browser receives: the bytes xterm.js draws."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from store import Library
from tests.conftest import ROOT

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no headless browser: install Debian's chromium (apt-get install chromium); "
        ".ci/run installs it when missing"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


class DevTools:
    """The few DevTools protocol calls the test needs, over aiohttp's WebSocket client."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.next_id = 0
        self.received: list[bytes] = []  # terminal bytes the page got, in order
        self.sent: list[str] = []

    async def call(self, method: str, **params) -> dict:
        self.next_id += 1
        wanted = self.next_id
        await self.ws.send_str(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads((await self.ws.receive()).data)
            if message.get("id") == wanted:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message: dict) -> None:
        if message.get("method") == "Network.webSocketFrameReceived":
            frame = message["params"]["response"]
            data = frame["payloadData"]
            self.received.append(base64.b64decode(data) if frame["opcode"] == 2 else data.encode())
        elif message.get("method") == "Network.webSocketFrameSent":
            self.sent.append(message["params"]["response"]["payloadData"])

    async def until(self, done, seconds: float = 30) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if done():
                return
            try:
                raw = await asyncio.wait_for(self.ws.receive(), 0.5)
            except asyncio.TimeoutError:
                continue
            self._event(json.loads(raw.data))
        raise AssertionError("the page never showed what was expected")

    def shown(self, start: int = 0) -> str:
        return b"".join(self.received[start:]).decode("utf-8", "replace")


def pressed(frame: str, key: str) -> bool:
    """Whether a frame the page sent to the server is the key typed into the terminal."""
    return frame.startswith('["stdin"') and f'"{key}"' in frame


def a_plain_word(lib: Library, article_id: str, sentence: int) -> str:
    """A word of the sentence outside any entity, so it is drawn in one piece."""
    article = lib.article(article_id)
    span = article.sentences[sentence]
    for word in article.text[span.start : span.end].split():
        start = article.text.index(word, span.start)
        clear = all(m.end <= start or m.start >= start + len(word) for m in article.mentions)
        if clear and word.isalpha() and len(word) >= 6:
            return word
    raise AssertionError("no plain word in the sentence")


async def drive(page_url: str, debug_port: int, shot: Path, word: str) -> DevTools:
    import aiohttp

    targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json").read())
    page = next(t for t in targets if t["type"] == "page")
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws,
    ):
        tools = DevTools(ws)
        await tools.call("Network.enable")
        await tools.call("Page.enable")
        await tools.call("Page.navigate", url=page_url)
        await tools.until(lambda: "Sample reports" in tools.shown(), 60)
        await asyncio.sleep(1.0)  # let the first screen finish drawing
        png = await tools.call("Page.captureScreenshot", format="png")
        shot.write_bytes(base64.b64decode(png["data"]))
        for kind in ("mousePressed", "mouseReleased"):  # focus the terminal, on the title
            await tools.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=600,
                y=8,
                button="left",
                clickCount=1,
            )
        await asyncio.sleep(0.5)
        before = len(tools.received)
        await tools.call("Input.dispatchKeyEvent", type="keyDown", key="j", text="j")
        await tools.call("Input.dispatchKeyEvent", type="keyUp", key="j")
        await tools.until(lambda: any(pressed(sent, "j") for sent in tools.sent), 30)
        await tools.until(lambda: word in tools.shown(before), 30)
        return tools


def test_the_reader_served_to_a_headless_browser(seeded_home: Path, tmp_path: Path) -> None:
    chromium = browser()
    port, debug_port = free_port(), free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "--data-dir",
            str(seeded_home),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    chrome = None
    try:
        wait_for_port(port)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
        assert "fonts.googleapis.com" not in page  # offline: nothing from other hosts
        outside = [u for u in page.split('"') if u.startswith("http") and "127.0.0.1" not in u]
        assert outside in ([], ["http://www.w3.org/2000/svg"]), outside
        chrome = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={debug_port}",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--window-size=1280,800",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(debug_port)
        lib = Library.open(seeded_home)
        first = lib.articles()[0]  # the reader opens the first article at its first sentence
        word = a_plain_word(lib, first.id, 1)
        shot = tmp_path / "reader-in-browser.png"
        tools = asyncio.run(drive(f"http://127.0.0.1:{port}/", debug_port, shot, word))
        assert shot.stat().st_size > 5_000 and shot.read_bytes()[:4] == b"\x89PNG"
        assert any(pressed(sent, "j") for sent in tools.sent)
    finally:
        for process in (chrome, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
