"""Event handlers whose database reads run in a worker thread.

Reflex runs a plain (sync) handler on the event loop that serves every tab of the process, so
while one tab's list query waits for PostgreSQL, no other tab's event moves. A handler marked
@in_thread runs each of its steps (up to each `yield`) in a thread instead; the loop serves the
other tabs meanwhile and sends this handler's updates between the steps. The state is this
event's alone while it runs: Reflex holds the tab's lock for the whole event.
"""

import asyncio
import functools
import inspect
from collections.abc import Callable


def _step(steps):
    """(finished, value): the next update of a handler's generator, or its return value."""
    try:
        return False, next(steps)
    except StopIteration as stop:
        return True, stop.value


def in_thread(handler: Callable) -> Callable:
    """Under @rx.event: run `handler` (a function or a generator of updates) off the loop."""

    @functools.wraps(handler)
    async def run(self, *args, **kwargs):
        if not inspect.isgeneratorfunction(handler):
            yield await asyncio.to_thread(handler, self, *args, **kwargs)
            return
        steps = handler(self, *args, **kwargs)
        while True:
            finished, update = await asyncio.to_thread(_step, steps)
            if finished:
                if update is not None:
                    yield update
                return
            yield update

    return run
