"""program.yml and courses/ as validated, typed objects; every content problem reported at once."""

from hub_app.catalog.catalog import Catalog, Course, Lesson
from hub_app.catalog.loader import load_catalog
from hub_app.kernel.problems import ContentError, ContentProblem

__all__ = ["Catalog", "ContentError", "ContentProblem", "Course", "Lesson", "load_catalog"]
