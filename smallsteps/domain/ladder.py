"""The goal ladder as a tree: each step with the smaller steps under it, however deep.

Steps are anything with an ``id`` and a ``parent_step_id`` (model rows or query rows),
oldest first. A client that misbehaves can link steps into a loop of parents, so every
walk here stops at a step it has already seen.
"""

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any


class StepTree:
    """A person's or a goal's steps, indexed by the step each one makes smaller."""

    def __init__(self, steps: Iterable[Any]):
        """Index the steps by the step they make smaller, keeping their order."""
        self.steps = list(steps)
        self.children: dict[Hashable, list] = {}
        for step in self.steps:
            self.children.setdefault(step.parent_step_id, []).append(step)

    def under(self, step_id: Hashable) -> list[Hashable]:
        """Return the ids of a step and of every smaller step under it, the step first."""
        found = [step_id]
        seen = {step_id}
        pending = [step_id]
        while pending:
            for child in self.children.get(pending.pop(), ()):
                if child.id not in seen:
                    seen.add(child.id)
                    found.append(child.id)
                    pending.append(child.id)
        return found

    def days_under(
        self, step_id: Hashable, own_days: Mapping[Hashable, Iterable[date]]
    ) -> frozenset[date]:
        """Return the days with a win of a step or of any smaller step under it."""
        return frozenset().union(*(own_days.get(each, ()) for each in self.under(step_id)))

    def in_ladder_order(self, live: Collection[Hashable] | None = None) -> Iterator[tuple]:
        """Yield (step, depth) for every live step, each followed by the smaller steps under it.

        ``live`` holds the ids of the steps to show, every step when None. A live step
        whose bigger step is not live, or that sits in a loop of parent links, starts its
        own ladder at the top.
        """
        if live is None:
            live = {step.id for step in self.steps}
        seen: set[Hashable] = set()
        tops = [step for step in self.steps if step.parent_step_id not in live]
        for top in [*tops, *self.steps]:
            pending = [(top, 0)]
            while pending:
                step, depth = pending.pop()
                if step.id not in live or step.id in seen:
                    continue
                seen.add(step.id)
                yield step, depth
                smaller = self.children.get(step.id, ())
                pending.extend((child, depth + 1) for child in reversed(smaller))
