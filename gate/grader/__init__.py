"""Grading answers by a model: the judging endpoint, its replies, and the cache of judgments."""
