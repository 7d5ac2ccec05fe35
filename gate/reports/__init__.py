"""Reports: ways of showing a finished run. They format; they never decide."""
