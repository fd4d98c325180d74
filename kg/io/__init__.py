"""Input and output: files and their decoding, the one HTTP client, atomic outputs, worker processes."""
