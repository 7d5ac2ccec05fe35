"""`gate prove`: every release a postmortem was written about, replayed against the gate.

`known` reads the known releases beside each postmortem, `runs` runs the suite
against each of them at once, `outcome` says whether each is still blocked (or,
known good, still ships), and `report` writes and reads the proof as JSON.
"""
