"""Use cases: they take the clock, calendar and repositories as arguments."""
