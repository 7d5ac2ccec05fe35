"""Maintenance scripts for the tutor's data files."""
