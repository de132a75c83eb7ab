"""Scheduled jobs: the minute sweep, the outbox delivery worker and their APScheduler wiring."""
