"""The demo world, played through the real domain functions."""
