"""Tests of bot/chat/: commands, button ids, the handbook answers and their cards."""
