"""YAML files read with the line of every key, so a content problem can name file, line and key."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

from hub_app.kernel.problems import ContentProblem

Loc = tuple[str | int, ...]


@dataclass
class YamlSource:
    """A parsed YAML document and the line (1-based) where each key path starts."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)  # found while reading: duplicate keys

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


MAX_DEPTH = 50  # content nests a handful of levels; thousands would exhaust the parser's stack


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader without aliases: an alias bomb (a billion laughs) would make every walk exponential."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        mark = self.peek_event().start_mark
        if self.check_event(AliasEvent):
            raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not allowed in content files", mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _walk(node: yaml.Node, loc: Loc, source: YamlSource) -> None:
    source.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            child = (*loc, str(key.value))
            line = key.start_mark.line + 1
            if str(key.value) in seen:
                message = f"duplicate key (first given on line {seen[str(key.value)]}); give each key once"
                source.problems.append(ContentProblem(source.path, line, format_loc(child), message))
                continue
            seen[str(key.value)] = line
            _walk(value, child, source)
            source.lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _walk(value, (*loc, i), source)


def read_text(path: Path, shown_as: str) -> str | ContentProblem:
    """The UTF-8 text of a content file, or a problem saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ContentProblem(shown_as, 1, "(file)", "file is missing")
    except IsADirectoryError:
        return ContentProblem(shown_as, 1, "(file)", "is a folder, not a file")
    except OSError as e:
        reason = "a symbolic link that loops" if e.errno == errno.ELOOP else (e.strerror or str(e))
        return ContentProblem(shown_as, 1, "(file)", f"cannot be read: {reason}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return ContentProblem(shown_as, line, "(file)", f"not UTF-8 text (byte {e.start}: {e.reason})")


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    loader = _ContentLoader(text)  # checks every character first: ReaderError
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def read_yaml(path: Path, shown_as: str) -> YamlSource | ContentProblem:
    """Parse `path`; a syntax error comes back as a problem naming the line."""
    text = read_text(path, shown_as)
    if isinstance(text, ContentProblem):
        return text
    try:
        node, data = _compose(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        return ContentProblem(shown_as, line, "(file)", f"YAML syntax error: {e.problem or e}")
    except yaml.reader.ReaderError as e:  # a NUL or another control character
        line = text.count("\n", 0, e.position) + 1
        return ContentProblem(shown_as, line, "(file)", f"character {chr(e.character)!r} is not allowed in YAML")
    except yaml.YAMLError as e:
        return ContentProblem(shown_as, 1, "(file)", f"YAML error: {e}")
    source = YamlSource(shown_as, data)
    if node is not None:
        _walk(node, (), source)
    return source
