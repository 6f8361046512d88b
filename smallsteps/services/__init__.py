"""Use cases that touch the database and commit."""
