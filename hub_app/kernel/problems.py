"""Content problems: what is wrong, in which file, on which line, under which key."""

from __future__ import annotations

from dataclasses import dataclass, field

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Lines, Message, Number


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One problem in a file the hub reads (program.yml, a course, an import), as `path:line: key: message`.

    `said` keeps the message as a msgid and params where a page words it in the reader's language
    (KPI imports); `message` is always its English text.
    """

    path: str
    line: int
    key: str
    message: str
    said: Message | None = field(default=None, compare=False)

    @classmethod
    def of(cls, path: str, line: int, key: str, said: Message) -> ContentProblem:
        """A problem worded by a msgid and params."""
        return cls(path, line, key, str(said), said)

    def __str__(self) -> str:
        # Files without keys (a GIFT quiz, an Aiken file) leave `key` empty: path:line: message.
        return f"{self.path}:{self.line}: {self.key + ': ' if self.key else ''}{self.message}"


class ContentError(HubError):
    """The content has problems; all of them are listed, not just the first."""

    msgid = "{count} content problem(s):\n{lines}"

    def __init__(self, problems: list[ContentProblem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(count=Number(count), lines=Lines(self.problems))
        # English says "1 content problem" / "2 content problems"; the msgid's "(s)" serves every language.
        self.args = (f"{count} content problem{'s' if count != 1 else ''}:\n{self.params['lines']}",)
