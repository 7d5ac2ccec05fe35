"""Plugin packages for tests, really installed by pip into a site folder of their own.

A subprocess started with that folder on PYTHONPATH finds their `gate.kinds`
entry points exactly as it would find any installed plugin's.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

FAULTS = textwrap.dedent(
    '''
    """Check kinds that misbehave on purpose: each fault must stay inside its own check."""
    import time

    from gate import Judgement, Measurement, ResponseKind, StaticKind, Status, kind

    NO_PARAMS = {"type": "object", "additionalProperties": False, "properties": {}}


    class Plain(ResponseKind):
        params_schema = NO_PARAMS

        def judge(self, item, response):
            return Judgement(True)

        def verdict(self, tally):
            return Measurement(Status.PASS, tally.judged, None, "judged")


    @kind
    class RaisesJudge(Plain):
        """Raises on every answer. Params: none."""

        name = "raises_judge"

        def judge(self, item, response):
            raise ValueError("cannot read this answer")


    @kind
    class SleepsJudge(Plain):
        """Blocks in a system call for an hour. Params: none."""

        name = "sleeps_judge"

        def judge(self, item, response):
            time.sleep(3600)


    @kind
    class SpinsJudge(Plain):
        """Loops for ever, swallowing every Exception. Params: none."""

        name = "spins_judge"

        def judge(self, item, response):
            while True:
                try:
                    sum(range(100))
                except Exception:
                    pass


    @kind
    class GarbageJudge(Plain):
        """Returns a string, not a Judgement. Params: none."""

        name = "garbage_judge"

        def judge(self, item, response):
            return "yes"


    @kind
    class NoReasonJudge(Plain):
        """Passes with a reason that is None, not a string. Params: none."""

        name = "no_reason_judge"

        def judge(self, item, response):
            return Judgement(True, None)


    @kind
    class GarbageVerdict(Plain):
        """Its verdict is a number, not a Measurement. Params: none."""

        name = "garbage_verdict"

        def verdict(self, tally):
            return 42


    @kind
    class SleepsVerdict(Plain):
        """Its verdict blocks for an hour. Params: none."""

        name = "sleeps_verdict"

        def verdict(self, tally):
            time.sleep(3600)


    @kind
    class SleepsStart(Plain):
        """Never finishes starting. Params: none."""

        name = "sleeps_start"

        def __init__(self, params):
            time.sleep(3600)


    @kind
    class PassesUnanswered(Plain):
        """Calls an answer that could not be used a pass. Params: none."""

        name = "passes_unanswered"

        def unanswered(self, item, reason):
            return Judgement(True)


    @kind
    class QuotesAnswer(Plain):
        """Raises with the whole answer in its message. Params: none."""

        name = "quotes_answer"

        def judge(self, item, response):
            raise ValueError(f"cannot judge {dict(response)}")


    @kind
    class BreaksCheckingParams(Plain):
        """Its own check of params raises. Params: none."""

        name = "breaks_checking_params"

        @classmethod
        def check_params(cls, params):
            raise RuntimeError("the params checker broke")


    class Blocks(Plain):
        """Judges whole blocks, with a judge of its own that is never at fault."""

        def judge_many(self, items, responses):
            return [Judgement(True)] * len(items)


    @kind
    class RaisesMany(Blocks):
        """Raises on every block. Params: none."""

        name = "raises_many"

        def judge_many(self, items, responses):
            raise ValueError("cannot read these answers")


    @kind
    class SleepsMany(Blocks):
        """Blocks in a system call for an hour on every block. Params: none."""

        name = "sleeps_many"

        def judge_many(self, items, responses):
            time.sleep(3600)


    @kind
    class ShortMany(Blocks):
        """Returns one verdict too few. Params: none."""

        name = "short_many"

        def judge_many(self, items, responses):
            return [Judgement(True)] * (len(items) - 1)


    @kind
    class TupleMany(Blocks):
        """Returns its verdicts as a tuple, not a list. Params: none."""

        name = "tuple_many"

        def judge_many(self, items, responses):
            return (Judgement(True),) * len(items)


    @kind
    class GarbageMany(Blocks):
        """Returns a string in place of the fifth verdict. Params: none."""

        name = "garbage_many"

        def judge_many(self, items, responses):
            verdicts = [Judgement(True)] * len(items)
            verdicts[4] = "yes"
            return verdicts


    @kind
    class SleepsEvaluate(StaticKind):
        """Looks at files for an hour. Params: none."""

        name = "sleeps_evaluate"
        params_schema = NO_PARAMS

        def evaluate(self, context):
            time.sleep(3600)


    @kind
    class GarbageEvaluate(StaticKind):
        """Returns a dict, not a Measurement. Params: none."""

        name = "garbage_evaluate"
        params_schema = NO_PARAMS

        def evaluate(self, context):
            return {"status": "pass"}


    @kind
    class NamesAFile(StaticKind):
        """Cross-checks its own param. Params: file, a file that must exist."""

        name = "names_a_file"
        params_schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"file": {"type": "string"}},
        }

        @classmethod
        def validate(cls, params, project):
            if (project.root / params["file"]).is_file():
                return []
            return [project.error(("params", "file"), f"{params['file']} is not there")]

        def evaluate(self, context):
            return Measurement(Status.PASS, 1, None, "there")


    @kind
    class BreaksValidating(NamesAFile):
        """Its cross-check raises. Params: file."""

        name = "breaks_validating"

        @classmethod
        def validate(cls, params, project):
            raise KeyError("corpora")


    @kind
    class GarbageValidating(NamesAFile):
        """Its cross-check returns a string. Params: file."""

        name = "garbage_validating"

        @classmethod
        def validate(cls, params, project):
            return "all good"


    @kind
    class SleepsValidating(NamesAFile):
        """Its cross-check blocks for an hour. Params: file."""

        name = "sleeps_validating"

        @classmethod
        def validate(cls, params, project):
            time.sleep(3600)
    '''
)

FAULT_KINDS = (
    "raises_judge",
    "sleeps_judge",
    "spins_judge",
    "garbage_judge",
    "no_reason_judge",
    "garbage_verdict",
    "sleeps_verdict",
    "sleeps_start",
    "quotes_answer",
    "raises_many",
    "sleeps_many",
    "short_many",
    "tuple_many",
    "garbage_many",
    "breaks_checking_params",
    "sleeps_evaluate",
    "garbage_evaluate",
    "names_a_file",
    "breaks_validating",
    "garbage_validating",
    "sleeps_validating",
    "passes_unanswered",
)


def make_package(root: Path, name: str, module: str, body: str, entries: list[str]) -> Path:
    """A source folder for a package `name` with one module and `gate.kinds` entry points."""
    source = root / f"src-{name}"
    (source / module).mkdir(parents=True)
    (source / module / "__init__.py").write_text(body)
    entry_lines = "\n".join(entries)
    (source / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name}"
            version = "0.1.0"

            [project.entry-points."gate.kinds"]
            """
        ).format(name=name)
        + entry_lines
        + "\n"
    )
    return source


def pip_install(site: Path, *sources: Path) -> Path:
    """Install the packages into `site` with pip, offline, as a user would install a plugin."""
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--no-index", "--target", str(site)),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
    )
    return site


def install_faults(root: Path) -> Path:
    """A site folder holding the misbehaving kinds of FAULTS."""
    classes = {
        "raises_judge": "RaisesJudge",
        "sleeps_judge": "SleepsJudge",
        "spins_judge": "SpinsJudge",
        "garbage_judge": "GarbageJudge",
        "no_reason_judge": "NoReasonJudge",
        "garbage_verdict": "GarbageVerdict",
        "sleeps_verdict": "SleepsVerdict",
        "sleeps_start": "SleepsStart",
        "quotes_answer": "QuotesAnswer",
        "raises_many": "RaisesMany",
        "sleeps_many": "SleepsMany",
        "short_many": "ShortMany",
        "tuple_many": "TupleMany",
        "garbage_many": "GarbageMany",
        "breaks_checking_params": "BreaksCheckingParams",
        "sleeps_evaluate": "SleepsEvaluate",
        "garbage_evaluate": "GarbageEvaluate",
        "names_a_file": "NamesAFile",
        "breaks_validating": "BreaksValidating",
        "garbage_validating": "GarbageValidating",
        "sleeps_validating": "SleepsValidating",
        "passes_unanswered": "PassesUnanswered",
    }
    entries = [f'{name} = "gate_plugin_faults:{classes[name]}"' for name in FAULT_KINDS]
    source = make_package(root, "gate-plugin-faults", "gate_plugin_faults", FAULTS, entries)
    return pip_install(root / "site", source)
