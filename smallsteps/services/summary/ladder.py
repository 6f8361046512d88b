"""A person's steps as a tree: each step with the smaller steps under it, however deep."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date


class Tree:
    """The steps (rows with ``id``, ``parent_step_id`` and ``deleted_at``), oldest first."""

    def __init__(self, steps: list):
        """Index the steps by the step they make smaller."""
        self.steps = steps
        self.children: dict[uuid.UUID | None, list] = {}
        for step in steps:
            self.children.setdefault(step.parent_step_id, []).append(step)
        self.live = {step.id for step in steps if step.deleted_at is None}

    def under(self, step_id: uuid.UUID) -> set[uuid.UUID]:
        """Return a step and every smaller step under it, however deep, even through a loop."""
        found = {step_id}
        pending = [step_id]
        while pending:
            for child in self.children.get(pending.pop(), ()):
                if child.id not in found:
                    found.add(child.id)
                    pending.append(child.id)
        return found

    def days_under(
        self, step_id: uuid.UUID, own_days: Mapping[uuid.UUID, Iterable[date]]
    ) -> frozenset[date]:
        """Return the days with a win of a step or of any smaller step under it."""
        return frozenset().union(*(own_days.get(each, ()) for each in self.under(step_id)))

    def in_ladder_order(self) -> Iterable[tuple]:
        """Yield (step, depth) for every live step, each followed by the smaller steps under it.

        A live step whose bigger step is gone, or that sits in a loop of parent links a
        misbehaving client made, starts its own ladder at the top.
        """
        seen: set[uuid.UUID] = set()
        tops = [step for step in self.steps if step.parent_step_id not in self.live]
        for top in [*tops, *self.steps]:
            pending = [(top, 0)]
            while pending:
                step, depth = pending.pop()
                if step.id not in self.live or step.id in seen:
                    continue
                seen.add(step.id)
                yield step, depth
                smaller = self.children.get(step.id, ())
                pending.extend((child, depth + 1) for child in reversed(smaller))
