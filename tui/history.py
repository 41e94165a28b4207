"""Back and forward through the places the reader has been, like a browser's history."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.messages import Place


@dataclass
class History:
    """Two stacks: where the reader came from, and where it went back from."""

    back: list[Place] = field(default_factory=list)
    forward: list[Place] = field(default_factory=list)

    def leave(self, here: Place | None, to: Place) -> None:
        """Remember `here` before going somewhere else; a new way forgets the forward stack."""
        if here is not None and here != to:
            self.back.append(here)
            self.forward.clear()

    def step(self, step: int, here: Place | None) -> Place | None:
        """The place one step back (step < 0) or forward, remembering `here`; None at an end."""
        source, target = (self.back, self.forward) if step < 0 else (self.forward, self.back)
        if not source:
            return None
        place = source.pop()
        if here is not None:
            target.append(here)
        return place
