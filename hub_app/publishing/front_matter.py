"""The front matter of a generated page: its audience (public or partners), title, description, tags."""

from __future__ import annotations


def front_matter(
    title: str, description: str, tags: list[str] | None = None, audience: str = "public", **extra: str
) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["---", f"audience: {audience}", f"title: {q(title)}", f"description: {q(description)}"]
    lines += [f"{key}: {q(value)}" for key, value in extra.items()]
    if tags:
        lines += ["tags:"] + [f"  - {q(tag)}" for tag in tags]
    return "\n".join([*lines, "---", ""])
