"""Example services that a release gate can be pointed at."""
