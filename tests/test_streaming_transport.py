"""The consumer's inline hand-off (workers.streaming.transport) against mode's own `wait_first`.

faust's consumer calls `wait_first(callback(message), suspend_flow.wait())` for every fetched message. These
tests run the same call shape on a bare mode service with and without the inline version and compare what
happens: what the callback did, what was cancelled, and what `wait_first` returned. The worker's integration
tests (kill -9, broker pause, two workers in a group) run the real consumer.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from mode import Service

from workers.pipeline import stages_named
from workers.settings import Settings
from workers.streaming.app import build_app
from workers.streaming.config import StreamSettings
from workers.streaming.transport import InlineFirstWait, InlineHandoffConsumer, InlineHandoffTransport


class ModeWaiter(Service):
    """A service with mode's own wait_first and a suspend_flow event, like faust's consumer."""

    def __init__(self) -> None:
        super().__init__()
        self.suspend_flow = asyncio.Event()  # an asyncio event, as in faust's consumer


class InlineWaiter(InlineFirstWait, ModeWaiter):
    """The same service with the inline first wait."""


Scenario = Callable[[list[str], asyncio.Future[Any]], Awaitable[Any]]


async def finishes_at_once(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("ran")
    return "done"


async def waits_for_the_gate(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("started")
    try:
        value = await gate
    except asyncio.CancelledError:
        log.append("cancelled")
        raise
    log.append(f"resumed with {value}")
    return f"got {value}"


async def yields_then_finishes(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("started")
    await asyncio.sleep(0)
    log.append("after a bare yield")
    await asyncio.sleep(0)
    return "done after yields"


async def spins(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("started")
    try:
        for _ in range(50):
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log.append("cancelled while spinning")
        raise
    return "spun"


async def fails_at_once(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("ran")
    raise ValueError("undecodable")


async def fails_after_waiting(log: list[str], gate: asyncio.Future[Any]) -> str:
    log.append("started")
    await gate
    raise ValueError("after waiting")


async def run_scenario(
    service: ModeWaiter,
    scenario: Scenario,
    *,
    open_gate: bool = False,
    suspend: bool = False,
    stopped: bool = False,
) -> tuple[list[str], Any]:
    """Call wait_first as faust's drain loop does; meanwhile open the gate or suspend the flow if asked."""
    log: list[str] = []
    if stopped:
        service._stopped.set()
    gate: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    async def meanwhile() -> None:
        for _ in range(3):
            await asyncio.sleep(0)
        if suspend:
            service.suspend_flow.set()
        if open_gate and not gate.done():  # a cancelled waiter cancels the future it awaited
            gate.set_result("a value")

    other = asyncio.ensure_future(meanwhile())
    try:
        # A hang (a callback nobody cancels) fails the test instead of stalling it.
        results = await asyncio.wait_for(service.wait_first(scenario(log, gate), service.suspend_flow.wait()), 5)
        outcome: Any = (
            [getattr(done, "__qualname__", None) for done in results.done],
            results.results,
            results.stopped,
        )
    except ValueError as error:
        outcome = f"raised {error}"
    await other
    for _ in range(5):  # let cancellations land
        await asyncio.sleep(0)
    return log, outcome


def both(scenario: Scenario, **kwargs: bool) -> tuple[Any, Any]:
    async def compare() -> tuple[Any, Any]:
        return (
            await run_scenario(ModeWaiter(), scenario, **kwargs),
            await run_scenario(InlineWaiter(), scenario, **kwargs),
        )

    return asyncio.run(compare())


@pytest.mark.parametrize(
    ("scenario", "conditions"),
    [
        (finishes_at_once, {}),
        (waits_for_the_gate, {"open_gate": True}),
        (waits_for_the_gate, {"suspend": True}),
        (yields_then_finishes, {}),
        (spins, {}),
        (spins, {"suspend": True}),
        (fails_at_once, {}),
        (fails_after_waiting, {"open_gate": True}),
        (finishes_at_once, {"stopped": True}),
        (waits_for_the_gate, {"open_gate": True, "stopped": True}),
    ],
)
def test_inline_first_wait_behaves_like_modes(scenario: Scenario, conditions: dict[str, bool]) -> None:
    mode_run, inline_run = both(scenario, **conditions)
    assert inline_run == mode_run


def test_a_waiting_callback_is_cancelled_when_the_flow_is_suspended() -> None:
    _, (log, outcome) = both(waits_for_the_gate, suspend=True)
    assert log == ["started", "cancelled"]
    assert outcome == (["Event.wait"], [True], False)


def test_a_waiting_callback_resumes_with_what_it_waited_for() -> None:
    _, (log, outcome) = both(waits_for_the_gate, open_gate=True)
    assert log == ["started", "resumed with a value"]
    assert outcome == (["waits_for_the_gate"], ["got a value"], False)


def test_a_callback_that_does_not_wait_runs_in_the_callers_task_and_the_other_wait_is_closed() -> None:
    async def check() -> None:
        service = InlineWaiter()
        seen: list[asyncio.Task[Any] | None] = []

        async def callback() -> int:
            seen.append(asyncio.current_task())
            return 7

        suspend_wait = service.suspend_flow.wait()
        results = await service.wait_first(callback(), suspend_wait)
        assert seen == [asyncio.current_task()]
        assert results.results == [7] and not results.stopped
        assert suspend_wait.cr_frame is None  # closed: no "never awaited" warning later

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        asyncio.run(check())


def test_while_the_flow_is_suspended_modes_race_runs() -> None:
    async def check() -> tuple[list[str], Any]:
        service = InlineWaiter()
        service.suspend_flow.set()
        return await run_scenario(service, waits_for_the_gate, open_gate=True)

    log, outcome = asyncio.run(check())
    # mode's race: the suspend wait wins at once and the callback task is cancelled before it finishes.
    assert "resumed with a value" not in log
    assert outcome[0] == ["Event.wait"]


def test_the_worker_app_consumes_through_the_inline_handoff_consumer() -> None:
    settings = Settings.from_env({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"})
    app = build_app(settings, StreamSettings(), stages_named(None))
    assert isinstance(app.transport, InlineHandoffTransport)
    assert app.transport.Consumer is InlineHandoffConsumer
