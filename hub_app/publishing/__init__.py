"""The static site: the MkDocs hook, course pages and tables generated from program.yml."""
