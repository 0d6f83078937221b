"""Content problems: what is wrong, in which file, on which line, under which key."""

from __future__ import annotations

from dataclasses import dataclass

from hub_app.kernel.errors import HubError


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One problem in a file the hub reads (program.yml, a course, an import), as `path:line: key: message`."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        # Files without keys (a GIFT quiz, an Aiken file) leave `key` empty: path:line: message.
        return f"{self.path}:{self.line}: {self.key + ': ' if self.key else ''}{self.message}"


class ContentError(HubError):
    """The content has problems; all of them are listed, not just the first."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} content problem{'s' if count != 1 else ''}:\n{lines}")
