"""Partner Hub: enablement site, certification exams, tiers and leaderboards for a vendor's partners."""

__version__ = "0.1.0"
