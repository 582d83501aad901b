"""Reset a worker group's committed offsets, only while the group has no active members.

Whether a group has members is asked with DescribeGroups. The local broker cannot answer it (kafka-python fails
on its reply: "15 is not a valid ACLOperation"), so the tool then does what the protocol
itself guarantees: an OffsetCommit sent as a non-member (generation -1, empty member id) is accepted only by a
group without active members, and rejected with UNKNOWN_MEMBER_ID (or ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS)
by a group that has some. The probe commits the group's current offsets unchanged. Measured on Tansu 0.6: a
group with a joined kafka-python member rejects it with UNKNOWN_MEMBER_ID; after the member leaves, it accepts.
When neither question gets an answer, the broker cannot say, and the reset is refused unless forced.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaAdminClient, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from workers.broker import clients
from workers.settings import KafkaSettings
from workers.tools.offset_lookup import EXPLICIT, LOG_START, OffsetLookup, Resolved

log = logging.getLogger(__name__)

EMPTY = "empty"
ACTIVE = "active"
UNKNOWN = "unknown"

# Errors with which a group coordinator rejects a commit from outside a group that has members.
_MEMBERSHIP_ERRORS = {"UnknownMemberIdError", "IllegalGenerationError", "RebalanceInProgressError"}


@dataclass(frozen=True)
class ResetTarget:
    """Where to move: to-datetime (epoch ms), to-earliest, to-latest or shift-by N."""

    kind: str
    value: int = 0


@dataclass(frozen=True)
class Membership:
    state: str  # empty, active or unknown
    how: str  # how that was found out, for the user


@dataclass
class PartitionReset:
    topic: str
    partition: int
    current: int | None
    target: int | None
    path: str
    error: str | None = None


@dataclass
class ResetReport:
    group: str
    target: ResetTarget
    membership: Membership
    partitions: list[PartitionReset] = field(default_factory=list)
    executed: bool = False
    refused: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.refused is not None or any(p.error for p in self.partitions)

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "target": {"kind": self.target.kind, "value": self.target.value},
            "membership": self.membership.state,
            "membership_how": self.membership.how,
            "executed": self.executed,
            "refused": self.refused,
            "notes": self.notes,
            "partitions": [
                {
                    "topic": p.topic,
                    "partition": p.partition,
                    "current": p.current,
                    "target": p.target,
                    "path": p.path,
                    "error": p.error,
                }
                for p in self.partitions
            ],
        }


def committed_offsets(admin: KafkaAdminClient, group: str, partitions: Sequence[TopicPartition]) -> dict[Any, int]:
    """The group's committed offset per partition (partitions without one are left out)."""
    answer = admin.list_group_offsets({group: list(partitions)}).get(group, {})
    return {tp: int(meta.offset) for tp, meta in answer.items() if meta is not None and meta.offset >= 0}


def group_membership(admin: KafkaAdminClient, group: str, committed: dict[Any, int]) -> Membership:
    """Whether the group has active members: DescribeGroups, else a non-member commit of unchanged offsets."""
    try:
        description = admin.describe_groups([group])[group]
        if description.get("error"):
            raise ValueError(description["error"])
        state = str(description.get("group_state") or "")
        members = list(description.get("members") or [])
        if members:
            return Membership(ACTIVE, f"DescribeGroups: state {state}, {len(members)} member(s)")
        if state in ("Empty", "Dead"):
            return Membership(EMPTY, f"DescribeGroups: state {state}, no members")
        describe_problem = f"DescribeGroups gave state {state or 'none'} and no members"
    except (KafkaError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        # Tansu: kafka-python raises ValueError("15 is not a valid ACLOperation") on its reply.
        describe_problem = f"DescribeGroups failed ({type(error).__name__}: {error})"
    if not committed:
        return Membership(UNKNOWN, f"{describe_problem}, and the group has no committed offsets to probe with")
    unchanged = {tp: OffsetAndMetadata(offset, "", None) for tp, offset in committed.items()}
    try:
        errors = admin.alter_group_offsets(group, unchanged)
    except KafkaError as error:
        return Membership(UNKNOWN, f"{describe_problem}; the commit probe failed: {type(error).__name__}: {error}")
    names = {getattr(error, "__name__", str(error)) for error in errors.values()}
    if names <= {"NoError"}:
        return Membership(EMPTY, f"{describe_problem}; a non-member commit of the unchanged offsets was accepted")
    if names & _MEMBERSHIP_ERRORS:
        rejected = ", ".join(sorted(names & _MEMBERSHIP_ERRORS))
        return Membership(ACTIVE, f"{describe_problem}; a non-member commit was rejected with {rejected}")
    return Membership(UNKNOWN, f"{describe_problem}; the commit probe answered {', '.join(sorted(names))}")


def _target_offset(
    lookup: OffsetLookup, partition: int, current: int | None, target: ResetTarget
) -> tuple[Resolved | None, str | None]:
    start = lookup.log_start(partition)
    end = lookup.end_offset(partition)
    if target.kind == "to-earliest":
        return Resolved(start, LOG_START), None
    if target.kind == "to-latest":
        return end, None
    if target.kind == "to-datetime":
        return lookup.offset_for_time(partition, target.value, start, end.offset), None
    if current is None:
        return None, "no committed offset to shift"
    return Resolved(min(max(current + target.value, start), end.offset), EXPLICIT), None


def plan_reset(
    admin: KafkaAdminClient, kafka: KafkaSettings, group: str, topics: Sequence[str], target: ResetTarget
) -> ResetReport:
    """Current and target offsets of every partition of the topics, and whether the group has active members."""
    partitions: list[TopicPartition] = []
    lookups: dict[str, OffsetLookup] = {}
    try:
        for topic in topics:
            lookups[topic] = OffsetLookup(kafka, topic)
            partitions.extend(TopicPartition(topic, p) for p in lookups[topic].partitions())
        committed = committed_offsets(admin, group, partitions)
        report = ResetReport(group, target, group_membership(admin, group, committed))
        for tp in partitions:
            current = committed.get(tp)
            resolved, note = _target_offset(lookups[tp.topic], tp.partition, current, target)
            report.partitions.append(
                PartitionReset(
                    tp.topic,
                    tp.partition,
                    current,
                    resolved.offset if resolved else None,
                    resolved.path if resolved else "-",
                )
            )
            if note:
                report.notes.append(f"{tp.topic}[{tp.partition}]: {note}; left as it is")
    finally:
        for lookup in lookups.values():
            lookup.close()
    return report


def topics_of_group(kafka: KafkaSettings, group: str) -> list[str]:
    """The topics the group has committed offsets for."""
    admin = clients.admin(kafka)
    try:
        answer = admin.list_group_offsets(group).get(group, {})
    finally:
        admin.close()
    return sorted({tp.topic for tp in answer})


def reset(
    kafka: KafkaSettings, group: str, topics: Sequence[str], target: ResetTarget, execute: bool, force: bool
) -> ResetReport:
    """Plan the reset and, with `execute`, commit it, refusing while members are active or nobody can tell."""
    admin = clients.admin(kafka)
    try:
        report = plan_reset(admin, kafka, group, topics, target)
        if report.membership.state == ACTIVE:
            report.refused = f"group {group} has active members ({report.membership.how}); stop the workers first"
        elif report.membership.state == UNKNOWN and not force:
            report.refused = (
                f"the broker cannot say whether group {group} has active members ({report.membership.how}); "
                "stop the workers and rerun with --force"
            )
        if report.refused or not execute:
            return report
        moves = {
            TopicPartition(p.topic, p.partition): OffsetAndMetadata(p.target, "", None)
            for p in report.partitions
            if p.target is not None
        }
        errors = admin.alter_group_offsets(group, moves)
        for p in report.partitions:
            error = errors.get(TopicPartition(p.topic, p.partition))
            name = getattr(error, "__name__", None)
            if error is not None and name != "NoError":
                p.error = name or str(error)
        report.executed = True
        log.info(
            "offsets reset",
            extra={"group": group, "target": target.kind, "failed": sum(1 for p in report.partitions if p.error)},
        )
        return report
    finally:
        admin.close()


def describe(report: ResetReport) -> Iterator[str]:
    target = report.target
    what = target.kind + (f" {target.value}" if target.kind in ("shift-by", "to-datetime") else "")
    yield f"offsets of group {report.group} → {what}"
    yield f"  active members: {report.membership.state} ({report.membership.how})"
    for p in report.partitions:
        current = "-" if p.current is None else str(p.current)
        goal = "-" if p.target is None else str(p.target)
        error = f"  FAILED: {p.error}" if p.error else ""
        yield f"  {p.topic}[{p.partition}]: {current} → {goal} ({p.path}){error}"
    yield from (f"  note: {note}" for note in report.notes)
    if report.refused:
        yield f"  REFUSED: {report.refused}"
    elif report.executed:
        yield "  committed" if not report.failed else "  the reset failed for some partitions"
    else:
        yield "  dry run: nothing committed (add --execute)"
