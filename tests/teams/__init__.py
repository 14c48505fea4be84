"""Tests of bot/teams/ (the Bot Framework side) and the Teams app package."""
