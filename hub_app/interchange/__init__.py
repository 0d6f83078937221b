"""Exchange formats, pure in and out: CSV exports."""
