"""The web shell: context, sign-in, session cookie and navigation."""
