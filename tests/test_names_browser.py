"""The page's search box and the command line find and rank the same entities, for a table
of queries (both scripts, pinyin, parts of names, typos, widths), in real headless Chromium."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

from graphkit.data.locate import bundled_data_dir  # noqa: E402
from graphkit.page.render import render_page, write_page  # noqa: E402
from graphkit.store.graph import load_graph  # noqa: E402

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

TABLE = [
    "Sam Altmn", "Antropic", "Microsft", "Ilya Sutskevr", "deepmnd", "Davd", "David",
    "山姆·阿尔特曼", "山姆・奧特曼", "aoteman", "Ao Te Man", "ào tè màn", "ao4 te4 man4",
    "大衛(wèi)欒", "大卫栾", "dawei luan", "Altman", "奥特曼", "傅", "fu sheng", "微軟", "weiruan",
    "谷歌", "穀歌大脑", "gu ge", "斯坦福大學", "stan", "gpt", "GPT-4", "ｇｐｔ４", "gpt 4o",
    "open", "o1", "Orion", "Oiron", "Strawbery", "DALL·E", "dall e", "獵豹移动", "lie bao",
    "Schulman", "Schulmann", "Jeff", "迪恩", "Yann Le Cun", "lecun", "天风国际证券",
    "xyzzy", "安全超级智能", "ssi", "UC伯克利", "berkeley", "Satya", "纳德拉", "na de la",
]


def _typos(count: int = 40) -> list[str]:
    """Seeded one-letter slips (a letter dropped, doubled or swapped) of bundled names."""
    document = orjson.loads((bundled_data_dir() / "entities.json").read_bytes())
    names = sorted(entity["name"] for entity in document["entities"] if len(entity["name"]) > 3)
    rng = random.Random(12)
    slips = []
    for name in rng.sample(names, count):
        at = rng.randrange(1, len(name) - 1)
        slip = rng.choice(("drop", "double", "swap"))
        if slip == "drop":
            slips.append(name[:at] + name[at + 1:])
        elif slip == "double":
            slips.append(name[:at] + name[at] + name[at:])
        else:
            slips.append(name[:at - 1] + name[at] + name[at - 1] + name[at + 1:])
    return slips


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    page_file = write_page(render_page(load_graph(bundled_data_dir())),
                           tmp_path_factory.mktemp("names") / "page.html")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith("file://") else route.abort())
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=20_000)
        yield page
        browser.close()


def _cli_hits(run_cli, query: str) -> list[tuple]:
    result = run_cli("search", query, "--limit", "10", "--json", data=bundled_data_dir())
    assert result.exit_code in (0, 1), (query, result.stderr)
    return [(hit["id"], hit["matched"], hit["score"])
            for hit in orjson.loads(result.stdout)["results"]]


def test_the_page_and_the_command_line_rank_alike(opened, run_cli):
    queries = TABLE + _typos()
    page_hits = opened.evaluate("(queries) => queries.map((q) => graphkit.search(q, 10))", queries)
    differ = {}
    for query, hits in zip(queries, page_hits, strict=True):
        page = [(hit["id"], hit["matched"], round(hit["score"], 3)) for hit in hits]
        cli = _cli_hits(run_cli, query)
        if page != cli:
            differ[query] = {"page": page, "cli": cli}
    assert differ == {}
    assert sum(1 for hits in page_hits if hits) >= len(queries) - 1  # only "xyzzy" finds none


def test_the_page_folds_queries_as_python_does(opened):
    from graphkit.data.names import normalize

    queries = [*TABLE, "ＳＡＭ　ÀLTMAN", "o\u200bpen\u00adai", "gpt(4)", "安全超级智能(SSI)",
               "Straße", "ΟΔΟΣ", "İstanbul", "𠮷野家", "大衛（wèi）欒"]
    folded = opened.evaluate(
        "(queries) => queries.map((q) => graphkit.normalize(q))", queries)
    assert dict(zip(queries, folded, strict=True)) == {query: normalize(query)
                                                       for query in queries}


@pytest.mark.parametrize("typed, first", [
    ("Antropic", "Anthropic"), ("Microsft", "Microsoft"), ("Sam Altmn", "Sam Altman"),
    ("aoteman", "Sam Altman"), ("山姆·阿尔特曼", "Sam Altman"), ("大卫栾", "David Luan"),
])
def test_the_search_box_suggests_as_you_type(opened, typed, first):
    opened.fill("#search", "")
    opened.type("#search", typed)
    item = opened.locator("#search-results li").first
    assert item.inner_text().startswith(first)
