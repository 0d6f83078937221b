"""Communication with partners: announcements, partner events, community Q&A and the channel manager."""
