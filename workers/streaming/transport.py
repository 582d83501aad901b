"""faust's aiokafka transport with a cheaper hand-off of each fetched message to the streams.

faust's consumer passes every fetched message on with `wait_first(callback(message), suspend_flow.wait())`, so
that a rebalance (which sets `suspend_flow`) or a stop can abandon a callback stuck on a full stream buffer or on
suspended flow control. mode's `wait_first` does that by wrapping both awaitables, plus the service's stopped and
crashed events, in four tasks, waiting for the first, and cancelling the other three: for every message. Measured
with a consume-and-ack agent on the local broker, that was 170 of the 280 µs of CPU faust spent per message.

The callback nearly always finishes without waiting: the stream buffer has room and flow is not suspended. This
consumer runs it inline until it would wait. When it finishes there, nothing else could have happened meanwhile
(the event loop did not run), so the outcome is the one mode's race would report. The first time it would wait,
its remainder becomes a task that races the other awaitables in mode's own `wait_first`, so a rebalance or a
stop cancels it exactly as before. Nothing else about consuming, acking or committing changes.

Installed as the app's transport in workers.streaming.app (faust's `App.transport` can be set; transports are a
faust extension point).
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport.drivers import aiokafka as aiokafka_driver
from mode import Service
from mode.services import WaitArgT, WaitResults


class InlineFirstWait(Service):
    """mode's `wait_first`, with its first coroutine run inline until that coroutine has to wait.

    For a service with a `suspend_flow` event (faust's consumer): while it is set, mode's own race runs.
    """

    suspend_flow: asyncio.Event

    async def wait_first(self, *coros: WaitArgT, timeout: Any = None) -> WaitResults:
        first, *others = coros
        if (
            timeout is not None
            or not asyncio.iscoroutine(first)
            or self.suspend_flow.is_set()
            or self._stopped.is_set()
            or self._crashed.is_set()
        ):
            return await super().wait_first(*coros, timeout=timeout)
        try:
            waiting_on = first.send(None)
        except StopIteration as finished:
            _close(others)
            if self._stopped.is_set() or self._crashed.is_set():
                return WaitResults([], [], True)
            return WaitResults([first], [finished.value], False)
        except BaseException:
            _close(others)
            raise
        remainder = asyncio.ensure_future(_resume(first, waiting_on))
        results = await super().wait_first(remainder, *others)
        # Report the caller's own awaitable, as mode would, not the task wrapping its remainder.
        return results._replace(done=[first if done is remainder else done for done in results.done])


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """Go on driving a started coroutine from where it first waited (what `yield from` does after one step).

    `waiting_on` is what the coroutine yielded (an asyncio future, or None to be rescheduled); yielding it to
    the task running this lets the event loop wait for it as if the coroutine had yielded it itself. What the
    task throws in (a cancellation) is passed on to the coroutine.
    """
    while True:
        try:
            sent = yield waiting_on
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as thrown:
            try:
                waiting_on = coro.throw(thrown)
            except StopIteration as finished:
                return finished.value
        else:
            try:
                waiting_on = coro.send(sent)
            except StopIteration as finished:
                return finished.value


def _close(awaitables: list[WaitArgT]) -> None:
    """Close coroutines that will never run (else Python warns that they were never awaited)."""
    for awaitable in awaitables:
        if asyncio.iscoroutine(awaitable):
            awaitable.close()


class InlineHandoffConsumer(InlineFirstWait, aiokafka_driver.Consumer):
    """faust's aiokafka consumer with the inline hand-off of fetched messages."""


class InlineHandoffTransport(aiokafka_driver.Transport):
    """faust's aiokafka transport with the consumer above."""

    Consumer = InlineHandoffConsumer
