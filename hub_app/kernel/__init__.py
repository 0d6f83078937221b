"""The kernel: errors, content problems, translations, ids, the program calendar and settings.

Imports nothing else of hub_app.
"""
