"""Refresh the README's screenshots of the page: ``python docs/screenshots.py``.

Renders the bundled data with ``graphkit render`` and photographs it in Debian's headless
Chromium (every request blocked): the whole graph at 1440×900 (``render.png``), the phone
layout at 390×844 with a card open as a bottom sheet (``phone.png``) and the talent flow as a
Sankey (``flow.png``).  Chinese text needs a CJK font (e.g. Debian's fonts-wqy-microhei).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.data.locate import bundled_data_dir  # noqa: E402
from graphkit.page.render import render_page, write_page  # noqa: E402
from graphkit.store.graph import load_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SHOTS = [
    # (file, view, viewport, script run once the page is ready)
    ("render.png", "full", (1440, 900), "graphkit.select('openai', false)"),
    ("phone.png", "full", (390, 844), "graphkit.select('anthropic')"),
    ("flow.png", "flow", (1440, 900), None),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    graph = load_graph(bundled_data_dir())
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, view, (width, height), script in SHOTS:
            page_file = write_page(render_page(graph, view=view), Path(folder) / f"{view}.html")
            context = browser.new_context(viewport={"width": width, "height": height},
                                          device_scale_factor=2 if width < 800 else 1,
                                          is_mobile=width < 800, has_touch=width < 800)
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith("file://") else route.abort())
            page = context.new_page()
            page.goto(Path(page_file).as_uri())
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)
            if script:
                page.evaluate(script)
            page.wait_for_timeout(600)
            page.screenshot(path=str(ROOT / "docs" / name))
            context.close()
            print(ROOT / "docs" / name)
        browser.close()


if __name__ == "__main__":
    main()
