"""Tests of bot/store/, on SQLite and on a real PostgreSQL."""
