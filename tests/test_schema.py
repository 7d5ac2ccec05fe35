"""Schema validation follows JSON Schema's own rules where Python's differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputErrors
from gate.manifest import load_manifest


def test_a_final_dollar_does_not_let_a_trailing_newline_through(tmp_path: Path) -> None:
    path = tmp_path / "v2.4.0.yaml"
    path.write_text('version: "2.4.0\\n"\n')
    with pytest.raises(InputErrors) as caught:
        load_manifest(path)
    assert str(caught.value).replace(str(path), "v2.4.0.yaml") == (
        "v2.4.0.yaml:1:1: 'version': '2.4.0\\n' does not match "
        "'^[0-9]+\\\\.[0-9]+\\\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\\\+[0-9A-Za-z.-]+)?$'\n"
        "  fix: 'version' is the release's semantic version, such as \"2.4.0\" (quoted)\n"
        "1 problem in the gate's input; nothing was run."
    )
