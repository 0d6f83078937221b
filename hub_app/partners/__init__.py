"""Partners: companies, people, roles, permissions and web sessions."""
