"""Helpers the format modules share: JSON and XML reading, printed dates, the shape of a printed name."""
