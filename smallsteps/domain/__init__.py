"""Pure domain logic: dates, streaks, look-back, nudge timing, sync merge rules.

Nothing in this package imports Flask or SQLAlchemy; every function takes the
instant or date it reasons about as an argument.
"""
