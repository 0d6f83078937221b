"""The hub app's Streamlit pages and what they share (context, session, navigation, formatting)."""
