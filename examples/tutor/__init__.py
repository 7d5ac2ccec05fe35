"""Reference grammar tutor: a small deterministic HTTP service.

It corrects a learner's English sentence and adds a Spanish gloss, spending
a fixed decode budget the way the production tutor does, so release gates
can be exercised against realistic failure modes without a real model.
"""
