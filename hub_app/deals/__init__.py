"""Deal registration: partners register opportunities, see possible conflicts before submitting, and a
channel manager approves (protection starts), rejects with a reason code or asks for more information."""

from hub_app.deals.records import KINDS

__all__ = ["KINDS"]
