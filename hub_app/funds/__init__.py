"""Market development funds: quarterly allocations on a fund ledger, requests, pre-approval, claims, payment."""

from hub_app.funds.records import KINDS

__all__ = ["KINDS"]
