"""Tiers: KPIs, tier evaluation and tier reviews."""
