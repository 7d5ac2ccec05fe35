"""The expected values of eval_score: every corpus item must hold what each axis compares with.

Found by `gate validate` (and every run, as it loads the project) before the
target is asked, rather than by a run that has already asked it.
"""

from __future__ import annotations

from collections.abc import Sequence

from gate.context import ProjectView
from gate.errors import InputError, display_path
from gate.kinds.scorers import Axis
from gate.words import counted, named

LISTED = 5  # items named one by one, with their corpus line; the rest are counted


def lacking_expected(axes: Sequence[Axis], project: ProjectView) -> list[InputError]:
    """An error at the corpus line of each item (the first few) lacking an axis's expected value.

    Args:
        axes: the check's axes; a regex axis needs no expected value.
        project: the project as the check sees it; its corpora are read through `select`.
    """
    compared = [axis for axis in axes if axis.scorer != "regex"]
    check = project.check
    errors: list[InputError] = []
    lacking = 0
    for item in project.items() if compared else ():
        for axis in compared:
            problem = axis.lacks(item.expected)
            if problem is None:
                continue
            lacking += 1
            if lacking <= LISTED:
                at = f"{display_path(check.path)}:{check.line_of(('params', 'axes', axis.name))}"
                errors.append(
                    InputError(
                        project.corpora[item.corpus],
                        f"item {item.id} {problem}, which axis {axis.name} of check {check.id} "
                        f"compares with ({at})",
                        line=item.line,
                        fix=f"give the item an expected '{axis.expected}' ({axis.wants}), "
                        "or leave it out with the check's select",
                    )
                )
            break  # one problem an item is enough to name it
    if lacking > LISTED:
        errors.append(
            project.error(
                ("params", "axes"),
                f"{counted(lacking - LISTED, 'more item')} of "
                f"{named(check.corpora, 'corpus', 'corpora')} "
                f"{'lacks' if lacking - LISTED == 1 else 'lack'} an expected value the axes "
                "compare with",
                fix="give every item the expected values, or narrow the check with select",
            )
        )
    return errors
