"""The one error type every service raises when it refuses a write.

Nothing is saved when a service raises :class:`ServiceError`. Each :class:`Problem`
carries a stable ``code`` (tests, exports and views rely on it; never rename one) and
a plain sentence for the person who asked. Views show the sentences; tests assert
the codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a write was refused. ``field`` names the form field it is about, if any."""

    code: str
    message: str
    field: str | None = None


class ServiceError(Exception):
    """A write was refused and nothing was saved.

    ``ServiceError("exemption.decided", "This exemption has already been decided.")``
    for one problem, ``ServiceError(problems=[...])`` for several.
    """

    def __init__(
        self, code: str | None = None, message: str = "", *, field: str | None = None, problems: Iterable[Problem] = ()
    ) -> None:
        found = list(problems)
        if code is not None:
            found.insert(0, Problem(code, message, field))
        if not found:
            raise ValueError("a ServiceError needs at least one problem")
        # The same problem found twice (e.g. in every week of a series) is said once.
        self.problems: list[Problem] = list(dict.fromkeys(found))
        super().__init__(" ".join(self.messages))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


class SessionError(ServiceError):
    """Transitional: a refusal given as sentences only, coded ``session.refused``."""

    def __init__(self, *messages: str) -> None:
        super().__init__(problems=[Problem("session.refused", m) for m in messages])


class StaleVersion(SessionError):
    def __init__(self) -> None:
        ServiceError.__init__(
            self,
            "session.stale",
            "Someone else changed this session while you were looking at it. "
            "Nothing was saved: check the session as it is now and try again.",
        )
