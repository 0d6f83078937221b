"""Partner Hub's errors: each says what happened and what to do, and keeps its context as attributes."""


class HubError(Exception):
    """Root of Partner Hub's errors; messages say what happened and what to do."""
