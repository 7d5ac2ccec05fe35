"""The README's pictures of the HTML report: the incident's release, as `gate run` reports it.

Runs `gate run --manifest releases/v2.4.0.yaml --report-html` on this
repository, opens the page in headless Chromium (Debian's, at
/usr/bin/chromium) and writes docs/report.png (the verdict, the checks and
their charts) and docs/report-items.png (the item table filtered to the empty
glosses). `make screenshot` runs it.

    .venv/bin/python scripts/report_screenshot.py [DOCS_FOLDER]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the repository's modules
    from benchmarks.chromium import chromium

    docs = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        done = subprocess.run(
            [sys.executable, "-m", "gate", "run", "--manifest", "releases/v2.4.0.yaml",
             "--report-html", str(page_file)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 1 or not page_file.exists():
            sys.exit(f"gate run did not block v2.4.0 as it should:\n{done.stdout}{done.stderr}")
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(page_file.as_uri(), wait_until="load")
            page.screenshot(path=str(docs / "report.png"))
            page.select_option("#check-filter", "spanish-gloss-nonempty")
            page.select_option("#status-filter", "fail")
            page.locator("h2", has_text="Items").evaluate("heading => heading.scrollIntoView()")
            page.screenshot(path=str(docs / "report-items.png"))
    print(f"wrote {docs / 'report.png'} and {docs / 'report-items.png'}")


if __name__ == "__main__":
    main()
