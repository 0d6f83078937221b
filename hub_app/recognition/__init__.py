"""Recognition: the points ledger, monthly tallies and leaderboards."""
