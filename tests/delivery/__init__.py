"""Tests of bot/delivery/: the outbox, planner, retries, rate limits, sender and worker."""
