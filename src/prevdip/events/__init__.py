"""The event lake: every real source normalised into one canonical event (see :mod:`prevdip.events.schema`)."""

from prevdip.events.schema import EVENT_COLUMNS, EVENT_SCHEMA, Category, Event, event_uid

__all__ = ["EVENT_COLUMNS", "EVENT_SCHEMA", "Category", "Event", "event_uid"]
