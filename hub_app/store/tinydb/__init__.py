"""The TinyDB backend: a durable journal under TinyDB's API, in-memory indexes, schema migrations."""
