"""`treaty-tui completion bash|zsh|fish`: a shell completion script for the command.

bash and zsh scripts come from shtab (built from the argument parser, so they
never drift from it); fish has no shtab writer, so its few lines are written
here from the same parser. Nothing of this runs on a normal start.
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    if shell == "fish":
        return fish(parser)
    import shtab

    return shtab.complete(parser, shell=shell)


def fish(parser: argparse.ArgumentParser) -> str:
    prog = parser.prog
    lines = [f"# fish completion for {prog}: save as ~/.config/fish/completions/{prog}.fish"]
    lines.append(f"complete -c {prog} -f")
    commands = _subcommands(parser)
    for option in _options(parser):
        lines.append(f"complete -c {prog} -n __fish_use_subcommand {option}")
    for name, (sub, help_text) in commands.items():
        lines.append(
            f"complete -c {prog} -n __fish_use_subcommand -a {name} -d {_quote(help_text)}"
        )
        for option in _options(sub):
            lines.append(f"complete -c {prog} -n '__fish_seen_subcommand_from {name}' {option}")
        if any(a.dest in ("sources", "paths", "file") for a in sub._actions):
            lines.append(f"complete -c {prog} -n '__fish_seen_subcommand_from {name}' -F")
    return "\n".join(lines) + "\n"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                out[name] = (sub, helps.get(name, ""))
    return out


def _options(parser: argparse.ArgumentParser) -> list[str]:
    out = []
    for action in parser._actions:
        longs = [o[2:] for o in action.option_strings if o.startswith("--")]
        shorts = [o[1:] for o in action.option_strings if len(o) == 2]
        if not longs and not shorts:
            continue
        parts = [f"-l {name}" for name in longs] + [f"-s {name}" for name in shorts]
        if action.choices and not isinstance(action, argparse._SubParsersAction):
            parts.append(f"-x -a {_quote(' '.join(map(str, action.choices)))}")
        elif action.nargs != 0:
            parts.append("-r")
        if action.help and action.help != argparse.SUPPRESS:
            parts.append(f"-d {_quote(action.help)}")
        out.append(" ".join(parts))
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
