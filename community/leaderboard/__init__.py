"""Leaderboard feature."""
