"""The bake-period smoke (`gate smoke`): rounds against a live service after a deploy.

- settings: gate.yaml's `smoke:` section, each check's limits, the command line
- sampling: each round's prompts, fixed and sampled afresh
- unanswered: whether a request that got no answer is the release's fault or the runner's
- watch: one check over the rounds, against its limits
- bake: the rounds loop, the early stop, signals and the rollback hook
- events, metrics, report, hook: the evidence the bake leaves behind
"""

# The suite `gate smoke` runs unless told otherwise. Its rounds judge their own
# prompts (fixed and sampled) in place of each check's corpora.
SMOKE_SUITE = "smoke"
