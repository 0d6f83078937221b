"""The kernel: errors, content problems, translations, ids, the program calendar, settings.

Imports nothing else of hub_app.
"""
