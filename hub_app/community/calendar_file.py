"""An event as an iCalendar (.ics) file, for any calendar application (RFC 5545, by `icalendar`)."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from hub_app.community.records import PartnerEvent


def ics(event: PartnerEvent, lang: str, vendor: str, now: datetime) -> bytes:
    """The event as a one-event calendar, its title in ``lang``; times in UTC, so every zone reads them right."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{vendor}//Partner Hub//EN")
    calendar.add("version", "2.0")
    entry = Event()
    entry.add("uid", f"{event.id}@partner-hub")
    entry.add("dtstamp", now)
    entry.add("dtstart", event.starts)
    entry.add("dtend", event.ends)
    entry.add("summary", event.title(lang))
    if event.agenda:
        entry.add("description", event.agenda)
    entry.add("location", event.venue or event.online_url)
    if event.online_url:
        entry.add("url", event.online_url)
    calendar.add_component(entry)
    return calendar.to_ical()
