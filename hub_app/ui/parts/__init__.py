"""Streamlit renderers of the pages' sections."""
