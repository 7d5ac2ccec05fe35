"""Paths the postmortem tests read."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
POSTMORTEMS = REPO / "postmortems"
TUTOR = POSTMORTEMS / "INC-2026-08-14-tutor-spanish-gloss-missing.md"
CARTA = POSTMORTEMS / "INC-2026-06-10-carta-checkout-payments-drill.md"
BROKEN = HERE / "broken"
DRAFT = HERE / "draft" / "INC-2026-06-10-carta-payments-draft.md"
