"""The app's pages: thin scripts that read widgets, call one domain function and render."""
