"""Tests of bot/web/: the handbook's and the schedule's pages and feeds."""
