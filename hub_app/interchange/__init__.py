"""Exchange formats, pure in and out: CSV exports, GIFT and Aiken quizzes."""
