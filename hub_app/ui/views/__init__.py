"""Streamlit-free page models: what a page shows, gathered from the domain."""
