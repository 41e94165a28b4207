"""The reader's settings: theme, key overrides, editor, library order.

    ~/.config/treaty-tui/config.toml   (platformdirs.user_config_dir("treaty-tui"))

    theme = "nord"
    editor = "external"          # note text in $VISUAL / $EDITOR
    library_order = "newest"     # or "oldest", "name"
    [keymap]                     # binding id = comma-separated keys (`?` lists the ids)
    "article.next_sentence" = "j,down,ctrl+n"

A person edits this file: it is read with tomllib and written back (when a
theme is picked) with tomlkit, so comments and layout stay. The JSON file of
earlier versions (config.json, same keys) is still read when there is no
config.toml. Every unknown key or bad value is reported in one line naming
the file and the key; nothing is silently ignored.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

CONFIG_NAME = "config.toml"
OLD_CONFIG_NAME = "config.json"
LibraryOrder = Literal["newest", "oldest", "name"]
ORDERS: tuple[LibraryOrder, ...] = get_args(LibraryOrder)
EDITORS = ("", "builtin", "external")
NEW_FILE = """\
# treaty-tui settings. `treaty-tui paths` shows where this file is.
# theme = "nord"
# editor = "external"        # write note text in $VISUAL / $EDITOR
# library_order = "newest"   # or "oldest", "name"
#
# [keymap]                   # binding id = keys; `?` in the reader lists the ids
# "article.next_sentence" = "j,down,ctrl+n"
"""


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("treaty-tui"))


def config_file(folder: Path | None = None) -> Path:
    """The settings file in use: config.toml, else an earlier version's config.json, else
    where a config.toml goes."""
    folder = folder or config_dir()
    old = folder / OLD_CONFIG_NAME
    return old if old.exists() and not (folder / CONFIG_NAME).exists() else folder / CONFIG_NAME


@dataclass
class Config:
    theme: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    editor: str = ""  # "external": note text in $VISUAL/$EDITOR
    library_order: LibraryOrder = "newest"
    path: Path | None = None  # the file read, if any

    @classmethod
    def load(cls, folder: Path | None = None) -> Config:
        folder = folder or config_dir()
        for name in (CONFIG_NAME, OLD_CONFIG_NAME):
            path = folder / name
            try:
                raw = path.read_text("utf-8")
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError) as exc:
                return cls(problems=[f"{path}: not read ({exc.__class__.__name__})"], path=path)
            try:
                data = _parse(raw, name)
            except ValueError as exc:
                return cls(problems=[f"{path}: ignored ({exc})"], path=path)
            return cls.from_data(data, path)
        return cls()

    @classmethod
    def from_data(cls, data: dict[str, Any], path: Path) -> Config:
        config = cls(path=path)
        for key, value in data.items():
            if key == "keymap":
                config.keymap = config._keymap(value)
            elif key in ("theme", "editor", "library_order"):
                config._setting(key, value)
            else:
                config.problems.append(f"{path}: unknown setting {key!r} (ignored)")
        return config

    def _setting(self, key: str, value: object) -> None:
        allowed = {"editor": EDITORS, "library_order": ORDERS}.get(key)
        if not isinstance(value, str) or (allowed and value not in allowed):
            expected = " or ".join(repr(a) for a in allowed if a) if allowed else "text"
            self.problems.append(f"{self.path}: {key} = {value!r} ignored (expected {expected})")
            return
        if key == "library_order":
            self.library_order = cast(LibraryOrder, value)
        else:
            setattr(self, key, value)

    def _keymap(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            self.problems.append(f"{self.path}: keymap ignored (expected a table of keys)")
            return {}
        keymap = {}
        for binding_id, keys in value.items():
            if isinstance(keys, str) and keys.strip():
                keymap[str(binding_id)] = keys
            else:
                self.problems.append(
                    f"{self.path}: keymap.{binding_id} = {keys!r} ignored (expected keys as text)"
                )
        return keymap

    def check_keymap(self, known: set[str]) -> None:
        """Report (and drop) overrides of binding ids no screen has."""
        for binding_id in sorted(set(self.keymap) - known):
            self.problems.append(
                f"{self.path}: keymap.{binding_id}: no such binding id (`?` lists them)"
            )
            del self.keymap[binding_id]

    def save_theme(self, theme: str, folder: Path | None = None) -> None:
        """Remember the theme, keeping whatever else the file holds (comments too)."""
        from store.disk.files import write_bytes_atomic

        folder = folder or config_dir()
        toml, old = folder / CONFIG_NAME, folder / OLD_CONFIG_NAME
        try:
            if toml.exists() or not old.exists():
                import tomlkit

                document = tomlkit.parse(toml.read_text("utf-8") if toml.exists() else NEW_FILE)
                document["theme"] = theme
                text = tomlkit.dumps(document)
            else:  # an earlier version's JSON file: keep using it
                data = json.loads(old.read_text("utf-8"))
                if not isinstance(data, dict):
                    return
                data["theme"] = theme
                toml, text = old, json.dumps(data, indent=2) + "\n"
            write_bytes_atomic(toml, text.encode("utf-8"))
        except (OSError, ValueError):
            pass  # a read-only config folder: the theme holds for this session


def _parse(raw: str, name: str) -> dict[str, Any]:
    if name == OLD_CONFIG_NAME:
        data = json.loads(raw)
    else:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # the same parser, before it joined the standard library
            import tomli as tomllib

        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"not valid TOML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("not a table of settings")
    return data


def known_binding_ids() -> set[str]:
    """Every binding id of the reader's screens and widgets (imports them all)."""
    import importlib
    import pkgutil

    from textual.app import App
    from textual.dom import DOMNode

    import tui

    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if module.name.startswith(("tui.screens", "tui.widgets", "tui.app")):
            importlib.import_module(module.name)
    found: set[str] = set()
    pending: list[type] = [DOMNode, App]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui."):
            found |= {b.id for b in vars(cls).get("BINDINGS", ()) if getattr(b, "id", None)}
    return found
