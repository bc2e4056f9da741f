"""How a run ended, as an ordered enum down to the process exit code.

Precedence: the worst outcome of a run wins (`max`). "Findings found" is a *successful* audit
(exit 0): the export was read and judged. Failing to read the input, or being asked for
something that does not exist, is not.

| outcome     | exit | meaning |
|-------------|------|---------|
| CLEAN       | 0    | every Pemda audited, no finding |
| FINDINGS    | 0    | every Pemda audited, findings written |
| PARTIAL     | 1    | the run finished but some Pemda could not be rendered or delivered |
| USAGE       | 2    | bad arguments: unknown `--region`, `--year`, missing path |
| UNREADABLE  | 3    | the export itself could not be read (corrupt workbook, undecodable CSV) |
| INTERNAL    | 4    | a bug in iid-audit (reported without a traceback; details in the log) |
"""

from __future__ import annotations

from enum import IntEnum


class Outcome(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    PARTIAL = 2
    USAGE = 3
    UNREADABLE = 4
    INTERNAL = 5

    @property
    def exit_code(self) -> int:
        return {0: 0, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4}[int(self)]


class AuditError(Exception):
    """An expected failure with a one-line message for the user (Indonesian / English)."""

    outcome: Outcome = Outcome.INTERNAL

    def __init__(self, pesan: str, message: str | None = None):
        self.pesan = pesan
        self.message = message or pesan
        super().__init__(f"{pesan} / {message}" if message else pesan)


class UsageError(AuditError):
    outcome = Outcome.USAGE


class UnreadableExport(AuditError):
    outcome = Outcome.UNREADABLE
