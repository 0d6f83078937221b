"""Which passwords are acceptable: long enough, and not common or guessable (NIST SP 800-63B, 3.1.1.2).

NIST asks a verifier to refuse passwords found in breach corpora, dictionary words, repetitive or
sequential characters and context-specific words (the service's name, the person's own name or email),
rather than impose composition rules. zxcvbn does exactly that check: it matches a password against
30,000 passwords from public breaches, English words, names, keyboard walks, sequences, repeats and
dates, plus the words we give it, and estimates the guesses needed. We refuse a score below
`LEAST_SCORE` (under ~10^8 guesses: "moderately" unguessable, zxcvbn's own advice for sign-ins).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_LENGTH = 10
LEAST_SCORE = 3
_SCORED_PREFIX = 72  # zxcvbn refuses longer input; a strong prefix makes the whole password strong
_LOCK = threading.Lock()  # zxcvbn keeps the user's own words in a module-level dictionary while it scores


def too_guessable(password: str, context_words: Iterable[str] = ()) -> bool:
    """True when the password is common, breached, a pattern, or made of the person's own details."""
    words = [w for word in context_words for w in _parts(word)]
    with _LOCK:
        score = zxcvbn(password[:_SCORED_PREFIX], user_inputs=words)["score"]
    return int(score) < LEAST_SCORE


def _parts(word: str) -> list[str]:
    # "ana.lima@acme.io" also as "ana", "lima", "acme": each is a word a guesser would try
    pieces = [word, *word.replace("@", " ").replace(".", " ").replace("-", " ").replace("_", " ").split()]
    return [p for p in pieces if len(p) >= 3]
