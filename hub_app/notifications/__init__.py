"""Outbox dispatch: domain events delivered to email and webhooks, at least once, every attempt recorded."""
