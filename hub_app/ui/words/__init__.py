"""Words: formatting, labels, links and messages in the reader's language (no Streamlit)."""
