"""`gate corpus`: build corpora; `gate corpus sample` draws one from a production log."""

from __future__ import annotations

from pathlib import Path

import click

from gate.status import ExitCode
from gate.words import counted


@click.group("corpus")
def corpus_group() -> None:
    """Build and inspect corpora."""


@corpus_group.command("sample")
@click.argument("log", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The corpus file to write, such as corpora/long-tail.jsonl.",
)
@click.option(
    "--field",
    default="response.spanish",
    show_default=True,
    help="The log field whose length ranks the prompts (a dotted path).",
)
@click.option(
    "--unit",
    type=click.Choice(["tokens", "words", "chars"]),
    default="tokens",
    show_default=True,
    help="How length is counted; a token is a run of letters or digits, or one other character.",
)
@click.option(
    "--longest",
    type=click.FloatRange(0, 100, min_open=True),
    help="Take the longest PERCENT of the distinct prompts.",
)
@click.option(
    "--strata",
    type=click.IntRange(1, 100),
    help="Or split the prompts into this many equal strata by length and spread --count over them.",
)
@click.option("--count", type=click.IntRange(1), help="How many items to take at most.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed, the same set.")
@click.option("--prompt-field", default="prompt", show_default=True, help="The prompt's field.")
@click.option(
    "--expected-field",
    default="response",
    show_default=True,
    help="The field copied into each item's expected; '' copies none.",
)
@click.option("--id-prefix", default="lt-", show_default=True, help="Item ids: PREFIX001, ...")
@click.option("--tag", "tags", multiple=True, help="A tag for every sampled item (repeatable).")
@click.option("--source", default="portal", show_default=True, help="The items' source.")
@click.option(
    "--include",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A corpus file written first, unchanged (fixed prompts); its prompts are not sampled.",
)
@click.option(
    "--exclude",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="A corpus whose prompts are not sampled again (repeatable).",
)
def sample_command(
    log: Path,
    out: Path,
    field: str,
    unit: str,
    longest: float | None,
    strata: int | None,
    count: int | None,
    seed: int,
    prompt_field: str,
    expected_field: str,
    id_prefix: str,
    tags: tuple[str, ...],
    source: str,
    include: Path | None,
    exclude: tuple[Path, ...],
) -> int:
    """Sample the long tail of LOG (JSONL of prompts and responses) into a corpus.

    Prompts are de-duplicated with case and spacing folded (the first line wins),
    ranked by the length of --field, and chosen by --longest or --strata. Each item
    is tagged with --tag, with its percentile bucket (p90-100), and with --source.
    """
    from gate.sampling import SampleSpec, sample_log

    if (longest is None) == (strata is None):
        raise click.UsageError("give exactly one of --longest and --strata")
    if strata is not None and count is None:
        raise click.UsageError("--strata needs --count, the number of items to spread")
    spec = SampleSpec(
        field=field,
        unit=unit,
        longest=longest,
        strata=strata,
        count=count,
        seed=seed,
        prompt_field=prompt_field,
        expected_field=expected_field or None,
        id_prefix=id_prefix,
        tags=tags,
        source=source,
        exclude=exclude,
    )
    report = sample_log(log, out, spec, include=include)
    lengths = report.chosen_lengths
    span = f"{min(lengths)}..{max(lengths)}" if lengths else "none"
    click.echo(
        f"gate: {out}: {counted(report.chosen, 'item')} sampled from "
        f"{counted(report.distinct, 'distinct prompt')} ({counted(report.lines, 'line')}, "
        f"{counted(report.repeats, 'repeat')}, {report.skipped} without a prompt or "
        f"{field}, {report.excluded} excluded); {field} {span} {unit}, "
        f"log median {report.log_median:g}"
    )
    return ExitCode.OK
