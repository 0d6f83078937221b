"""YAML files read with the line of every key, so a content problem can name file, line and key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub_app.kernel.problems import ContentProblem

Loc = tuple[str | int, ...]


@dataclass
class YamlSource:
    """A parsed YAML document and the line (1-based) where each key path starts."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known prefix of `loc` (a missing key reports its parent's line)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, message: str) -> ContentProblem:
        """A problem at `loc` of this file."""
        return ContentProblem(self.path, self.line_of(loc), format_loc(loc), message)


def format_loc(loc: Loc) -> str:
    """('items', 2, 'options') -> 'items[2].options'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, str(key.value))
            _walk(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _walk(value, (*loc, i), lines)


def read_yaml(path: Path, shown_as: str) -> YamlSource | ContentProblem:
    """Parse `path`; a syntax error comes back as a problem naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ContentProblem(shown_as, 1, "(file)", "file is missing")
    except UnicodeDecodeError as e:
        return ContentProblem(shown_as, 1, "(file)", f"not UTF-8 text ({e.reason})")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        return ContentProblem(shown_as, line, "(file)", f"YAML syntax error: {e.problem or e}")
    source = YamlSource(shown_as, data)
    if node is not None:
        _walk(node, (), source.lines)
    return source
