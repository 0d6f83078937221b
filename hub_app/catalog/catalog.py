"""The loaded catalog: the program and its courses, as the rest of the hub sees them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hub_app.catalog.models import Certification, CourseFile, Exam, Program, Text
from hub_app.catalog.source import YamlSource


@dataclass(frozen=True)
class Lesson:
    """One lesson of a course; its site URL is courses/<course>/<slug>/."""

    slug: str
    title: Text
    path: Path
    zh_path: Path | None


@dataclass(frozen=True)
class Course:
    """A course with its lessons and (secret) exam."""

    meta: CourseFile
    lessons: list[Lesson]
    exam: Exam | None
    source: YamlSource
    exam_source: YamlSource | None
    folder: Path

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> Text:
        return self.meta.title

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def major_version(self) -> int:
        """The semver major: a new major asks certificate holders to recertify."""
        return int(self.meta.version.split(".")[0])

    @property
    def certification(self) -> Certification | None:
        return self.meta.certification

    def lesson(self, slug: str) -> Lesson:
        """The lesson with this slug (KeyError when unknown)."""
        for lesson in self.lessons:
            if lesson.slug == slug:
                return lesson
        raise KeyError(slug)


@dataclass(frozen=True)
class Catalog:
    """program.yml and courses/, validated."""

    program: Program
    courses: dict[str, Course]
    root: Path

    def course(self, course_id: str) -> Course:
        """The course with this id (KeyError when unknown)."""
        return self.courses[course_id]

    def certifying_courses(self) -> list[Course]:
        """Courses that issue a certificate, in id order."""
        return [c for c in self.courses.values() if c.certification is not None]
