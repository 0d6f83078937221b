"""Fixtures for content tests: a tiny valid content tree per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_tree import Tree, make_tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return make_tree(tmp_path)
