"""How a run ended, as an ordered enum down to the process exit code.

Precedence: the worst outcome of a run wins (`max`). "Findings found" is a *successful* audit
(exit 0): the export was read and judged. Failing to read the input, or being asked for
something that does not exist, is not.

| outcome     | word (`run.json`) | exit | meaning |
|-------------|-------------------|------|---------|
| CLEAN       | `bersih`          | 0    | every Pemda audited, no finding |
| FINDINGS    | `temuan`          | 0    | every Pemda audited, findings written |
| PARTIAL     | `sebagian`        | 1    | the run finished but some Pemda could not be rendered or delivered |
| USAGE       | `argumen_salah`   | 2    | bad arguments: unknown `--region`, `--year`, missing path |
| UNREADABLE  | `tak_terbaca`     | 3    | the export itself could not be read (corrupt workbook, undecodable CSV) |
| INTERNAL    | `galat_internal`  | 4    | a bug in iid-audit (reported without a traceback; details in the log) |

A Pemda whose report has no email address yet is *not* a failure: without `--send` its
email waits in the outbox without a recipient; with `--send` it is a skipped delivery, listed
(`tanpa_alamat`). Only `--require-recipients` makes it a failure (PARTIAL).
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
        return _EXIT[self]

    @classmethod
    def from_word(cls, word: str) -> "Outcome":
        return next(o for o, w in _WORD.items() if w == word)

    @property
    def word(self) -> str:
        """How `run.json` names it: a word, never the enum's number (which is not an exit code)."""
        return _WORD[self]


_EXIT = {Outcome.CLEAN: 0, Outcome.FINDINGS: 0, Outcome.PARTIAL: 1, Outcome.USAGE: 2, Outcome.UNREADABLE: 3,
         Outcome.INTERNAL: 4}
_WORD = {Outcome.CLEAN: "bersih", Outcome.FINDINGS: "temuan", Outcome.PARTIAL: "sebagian",
         Outcome.USAGE: "argumen_salah", Outcome.UNREADABLE: "tak_terbaca", Outcome.INTERNAL: "galat_internal"}


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
