"""Communication with partners: announcements, partner events, community questions and answers, and the channel manager."""
