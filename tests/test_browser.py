"""Graph pages in a real browser: Debian's chromium driven by Playwright for Python.

Each page opens from a file:// URL with every request that is not the file
itself blocked and recorded. The tests never skip: without /usr/bin/chromium
they fail and say how to install it (``make browser``). Playwright's own
browser download (``playwright install``) is never used.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

import graphkit
from graphkit.outputs.page import write_page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IMG = '<img src=x onerror="window.__x=1">'
SCRIPT = "<script>window.__y=1</script>"
HOSTILE = f"{IMG} {SCRIPT} \"href\" 'quoted' </script>"
FLAGS = "[typeof window.__x, typeof window.__y]"


class Opened:
    """A page opened offline, with what it asked for and what it logged."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.errors.append(f"pageerror: {err}"))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 30.0):
        """Poll with ``evaluate``: ``wait_for_function`` is blocked by the page's CSP."""
        deadline = time.monotonic() + timeout
        while not self.js("() => Boolean(window.graphkit && window.graphkit.ready)"):
            assert time.monotonic() < deadline, f"the page was not ready after {timeout:.0f} s"
            self.page.wait_for_timeout(50)

    def _console(self, message):
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def node_point(self, index: int) -> tuple[float, float]:
        """Where node ``index`` is drawn, in page coordinates."""
        box = self.page.locator("#network").bounding_box()
        point = self.js(
            "i => graphkit.network.canvasToDOM(graphkit.network.getPositions([i])[i])", index
        )
        return box["x"] + point["x"], box["y"] + point["y"]

    def panel_text(self) -> str:
        return self.js("document.getElementById('panel').textContent")

    def close(self):
        assert self.requests == [], f"the page asked for outside resources: {self.requests}"
        assert self.errors == [], f"the page logged errors: {self.errors}"
        self.page.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        found = shutil.which("chromium")
        pytest.fail(
            f"Debian's chromium is needed at {CHROMIUM} for the browser tests"
            + (f" (found {found}, not at that path)" if found else "")
            + ": run 'make browser', or as root 'apt-get update && apt-get install -y chromium'",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser):
    opened = []

    def _open(path):
        page = Opened(browser, path)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.close()


def entity(G, key, name, kind="PERSON", aliases=(), mentions=3):
    G.add_node(
        key,
        name=name,
        type=kind,
        mentions=mentions,
        articles=mentions,
        aliases=[name, *aliases],
        first_date="2024-03-01",
        last_date="2024-03-02",
    )


def tie(G, a, b, weight, sentence, title="Story", url="https://news.example.org/1"):
    record = {"article_id": f"{a}|{b}", "title": title, "date": "2024-03-01", "url": url}
    G.add_edge(a, b, weight=weight, articles=1, evidence=[{**record, "sentence": sentence}])


@pytest.fixture(scope="module")
def small_page(tmp_path_factory):
    G = nx.Graph()
    entity(G, "alice", "Alice Moreau", aliases=["Governor Moreau"], mentions=6)
    entity(G, "bank", "Bank of Lorraine", "ORG", aliases=["BoL"], mentions=4)
    entity(G, "tomas", "Tomas Berg", aliases=["Berg"], mentions=2)
    entity(G, "nordpay", "Nordpay", "ORG", mentions=2)
    tie(G, "alice", "bank", 3, "Alice Moreau, governor of the Bank of Lorraine, spoke.")
    tie(G, "alice", "tomas", 1, "Moreau said Tomas Berg would join.", title="Pilot")
    tie(G, "tomas", "nordpay", 2, "Tomas Berg of Nordpay.", url=None)
    path = tmp_path_factory.mktemp("pages") / "small.html"
    write_page(G, path, title="Small")
    return path


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    G = nx.Graph()
    entity(G, "evil", f"Evil {HOSTILE}", aliases=[HOSTILE, "zz</script>"], mentions=5)
    entity(G, "other", 'Other "href" </script>', "ORG", aliases=[f"Alias {IMG}"])
    entity(G, "third", f"Third {SCRIPT}", "ORG")
    tie(G, "evil", "other", 2, f"Sentence {HOSTILE} end.", title=f"Title {HOSTILE}")
    tie(G, "evil", "third", 1, f"Second {IMG}.", title=SCRIPT, url="javascript:window.__x=1")
    path = tmp_path_factory.mktemp("pages") / "hostile.html"
    write_page(G, path, title=HOSTILE)
    return path


def big_graph(n: int) -> nx.Graph:
    G = nx.powerlaw_cluster_graph(n, 3, 0.2, seed=7)
    G = nx.relabel_nodes(G, {i: f"k{i}" for i in G})
    for i, node in enumerate(G):
        entity(G, node, f"Entity {i}", "ORG" if i % 3 else "PERSON", aliases=[f"E{i}"])
    for u, v in list(G.edges()):
        tie(G, u, v, 1 + (len(u) + len(v)) % 4, f"{u} and {v} were seen together.")
    return G


def test_small_page_loads_offline_with_every_node(open_page, small_page):
    page = open_page(small_page)
    assert page.js("graphkit.nodes.length") == 4
    assert page.js("graphkit.edges.length") == 3
    assert page.page.inner_text("#notice") == "4 entities; 3 ties"
    assert page.page.title() == "Small"


def test_search_finds_an_entity_by_alias(open_page, small_page):
    page = open_page(small_page)
    page.page.fill("#search", "governor moreau")
    assert page.page.inner_text("#results").startswith("Alice Moreau")
    page.page.press("#search", "Enter")
    alice = page.js("graphkit.data.nodes.findIndex(n => n.key === 'alice')")
    assert page.js("graphkit.network.getSelectedNodes()") == [alice]
    assert page.page.locator("#panel h2").inner_text() == "Alice Moreau"
    assert page.js("graphkit.search('bol')[0].name") == "Bank of Lorraine"


def test_clicking_a_node_shows_its_evidence(open_page, small_page):
    page = open_page(small_page)
    index = page.js("graphkit.data.nodes.findIndex(n => n.key === 'alice')")
    page.page.mouse.click(*page.node_point(index))
    assert page.page.locator("#panel").is_visible()
    text = page.panel_text()
    assert "Alice Moreau" in text and "Governor Moreau" in text
    assert "Alice Moreau, governor of the Bank of Lorraine, spoke." in text
    assert "Moreau said Tomas Berg would join." in text
    links = page.js("[...document.querySelectorAll('#panel a')].map(a => [a.textContent, a.href])")
    assert ["Story", "https://news.example.org/1"] in links


def test_neighbour_without_url_has_no_link_and_jumps(open_page, small_page):
    page = open_page(small_page)
    page.js("graphkit.select(graphkit.search('Nordpay')[0].id)")
    assert page.js("document.querySelectorAll('#panel a').length") == 0
    page.page.get_by_role("button", name="Tomas Berg").click()
    assert page.page.locator("#panel h2").inner_text() == "Tomas Berg"


def test_type_filter_hides_and_search_brings_back(open_page, small_page):
    page = open_page(small_page)
    page.page.locator("#types input[value=ORG]").uncheck()
    assert page.js("graphkit.nodes.get({filter: n => n.hidden}).length") == 2
    page.page.fill("#search", "BoL")
    page.page.press("#search", "Enter")
    assert page.js("graphkit.nodes.get({filter: n => n.hidden}).length") == 0
    assert page.page.locator("#types input[value=ORG]").is_checked()


def test_hostile_text_is_shown_literally_and_never_runs(open_page, hostile_page):
    page = open_page(hostile_page)
    assert page.page.title() == HOSTILE
    assert page.page.locator("h1").inner_text() == HOSTILE
    for index in range(page.js("graphkit.nodes.length")):
        x, y = page.node_point(index)
        box = page.page.locator("#network").bounding_box()
        page.page.mouse.move(box["x"] + 2, box["y"] + 2)  # off every node: the last tooltip goes
        page.page.wait_for_selector("div.vis-tooltip", state="hidden")
        page.page.mouse.move(x, y)
        page.page.wait_for_selector("div.vis-tooltip", state="visible")
        name = page.js("i => graphkit.data.nodes[i].name", index)
        assert name in page.js("document.querySelector('div.vis-tooltip').textContent")
        page.page.mouse.click(x, y)
        assert page.page.locator("#panel h2").inner_text() == name
        page.page.keyboard.press("Escape")  # the panel would cover the next node
    page.js("graphkit.select(graphkit.search('evil')[0].id)")
    text = page.panel_text()
    assert f"Evil {HOSTILE}" in text and f"Sentence {HOSTILE} end." in text
    assert f"Title {HOSTILE}" in text and SCRIPT in text and "zz</script>" in text
    assert page.js("document.querySelectorAll('#panel img, #panel script').length") == 0
    hrefs = page.js("[...document.querySelectorAll('a')].map(a => a.href)")
    assert hrefs == ["https://news.example.org/1"]  # the javascript: URL is not a link
    page.page.fill("#search", "Alias <img")
    assert page.page.inner_text("#results") == f'Other "href" </script>(Alias {IMG})'
    page.page.press("#search", "Enter")
    page.js("graphkit.showEdge(0)")
    assert f"Sentence {HOSTILE} end." in page.panel_text()
    assert page.js(FLAGS) == ["undefined", "undefined"]


def test_capped_page_says_so_and_has_physics_off(open_page, tmp_path):
    path = tmp_path / "big.html"
    summary = write_page(big_graph(1000), path)
    assert summary.entities == 300 and not summary.physics
    page = open_page(path)
    assert page.js("graphkit.nodes.length") == 300
    assert page.page.inner_text("#notice").startswith("showing 300 of 1,000 entities, by PageRank")
    assert page.js("graphkit.network.physics.physicsEnabled") is False
    index = page.js("graphkit.search('Entity 0')[0].id")
    page.page.mouse.click(*page.node_point(index))
    assert page.page.locator("#panel h2").inner_text() == "Entity 0"
    assert "were seen together." in page.panel_text()


def test_ego_page_opens_on_its_entity(open_page, tmp_path):
    path = tmp_path / "ego.html"
    summary = write_page(big_graph(200), path, focus="E17", depth=1, color_by="community")
    page = open_page(path)
    assert page.js("graphkit.nodes.length") == summary.entities
    assert page.page.locator("#panel h2").inner_text() == "Entity 17"
    assert page.js("graphkit.network.getSelectedNodes()") == [0]
    assert page.page.locator("#legend li").count() >= 1


def test_hostile_article_end_to_end(open_page, tmp_path):
    """Article text, title and url come from the store, through build and the CLI's page call."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "evil.jsonl").write_text(
        json.dumps(
            {
                "id": "evil-1",
                "title": f"Title {HOSTILE}",
                "url": "javascript:window.__x=1",
                "date": "2024-03-01",
                "text": f"Alice Moreau met Tomas Berg of Nordpay in Paris {IMG}. "
                f'Tomas Berg said {SCRIPT} Nordpay would grow "href" </script>.',
            }
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "g.db"
    graphkit.build([folder], db=db)
    path = tmp_path / "evil.html"
    write_page(graphkit.load_graph(db), path, title=f"Corpus {HOSTILE}")
    page = open_page(path)
    page.js("graphkit.select(graphkit.search('Tomas Berg')[0].id)")
    text = page.panel_text()
    assert f"Title {HOSTILE}" in text
    assert IMG in text or SCRIPT in text
    assert page.js("document.querySelectorAll('#panel img, #panel script').length") == 0
    assert page.js("[...document.querySelectorAll('a')].map(a => a.href)") == []
    assert page.js(FLAGS) == ["undefined", "undefined"]


def same_but_nonce(policy: str) -> str:
    return re.sub(r"'nonce-[^']+'", "'nonce'", policy)


def _poll(tab, expression: str, seconds: float = 20.0) -> bool:
    """Whether ``expression`` turns true in the page within ``seconds`` (across reloads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if tab.evaluate(expression):
                return True
        except PlaywrightError:  # the page is between two documents
            pass
        tab.wait_for_timeout(200)
    return False


def test_a_live_page_reloads_itself_when_rewritten_and_keeps_its_policy(browser, tmp_path):
    G = nx.Graph()
    entity(G, "alice", "Alice Moreau")
    entity(G, "bank", "Bank of Lorraine", "ORG")
    tie(G, "alice", "bank", 2, "Alice Moreau, governor of the Bank of Lorraine, spoke.")
    path = tmp_path / "live.html"
    write_page(G, path, title="Live", live=True)
    page_url = path.resolve().as_uri()
    marker_url = path.with_name("live.html.live.js").resolve().as_uri()
    asked, errors = [], []
    tab = browser.new_page()
    tab.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda err: errors.append(str(err)))

    def route(request_route):
        url = request_route.request.url
        asked.append(url)
        if url == page_url or url.split("?")[0] == marker_url:
            request_route.continue_()
        else:
            request_route.abort()

    tab.route("**/*", route)
    tab.goto(page_url)
    tab.wait_for_function("window.graphkit && graphkit.ready === true")
    policy = "meta[http-equiv='Content-Security-Policy']"
    first_policy = tab.get_attribute(policy, "content")
    tab.evaluate("graphkit.select(graphkit.data.nodes.findIndex(n => n.key === 'bank'))")
    tab.evaluate("window.__sameDocument = true")
    tab.wait_for_timeout(5000)  # two checks of an unchanged marker: no reload
    assert tab.evaluate("window.__sameDocument") is True
    assert any(url.startswith(marker_url + "?t=") for url in asked)

    entity(G, "tomas", "Tomas Berg")
    tie(G, "alice", "tomas", 1, "Moreau said Tomas Berg would join.")
    write_page(G, path, title="Live", live=True)
    # polled from here: wait_for_function's in-page polling would need eval, which the CSP forbids
    assert _poll(tab, "!!(window.graphkit && graphkit.ready && graphkit.data.nodes.length === 3)")
    assert tab.evaluate("window.__sameDocument") is None  # a new document: it reloaded
    assert tab.inner_text("#notice") == "3 entities; 2 ties"
    # the reader keeps the entity they were reading
    assert _poll(tab, "document.querySelector('#panel h2')?.textContent === 'Bank of Lorraine'")
    assert tab.evaluate(
        "graphkit.network.getSelectedNodes().map(i => graphkit.data.nodes[i].key)"
    ) == ["bank"]
    new_policy = tab.get_attribute(policy, "content")
    assert same_but_nonce(new_policy) == same_but_nonce(first_policy)  # each page has its nonce
    assert first_policy.startswith("default-src 'none'; script-src 'nonce-")
    assert {url.split("?")[0] for url in asked} == {page_url, marker_url}
    assert errors == []
    tab.close()


LABEL_BOXES = """ids => {
  // Each label as drawn: its width measured with the canvas's own measureText in the font
  // vis-network drew it with, centred on the node; its top and height where vis-network put it.
  const net = graphkit.network;
  const ctx = net.canvas.frame.canvas.getContext("2d");
  const scale = net.getScale();
  return ids.map((i) => {
    const node = net.body.nodes[i];
    const font = node.labelModule.fontOptions;
    ctx.font = `${font.size}px ${font.face}`;
    const width = ctx.measureText(node.options.label).width;
    const x = net.getPositions([i])[i].x;
    const a = net.canvasToDOM({ x: x - width / 2, y: node.labelModule.size.top });
    const bottom = node.labelModule.size.top + node.labelModule.size.height;
    const b = net.canvasToDOM({ x: x + width / 2, y: bottom });
    const shown = font.size * scale;
    return { i, label: node.options.label, shown, left: a.x, top: a.y, right: b.x, bottom: b.y };
  });
}"""


def overlaps(boxes):
    return [
        (p["label"], q["label"])
        for n, p in enumerate(boxes)
        for q in boxes[n + 1 :]
        if p["left"] < q["right"]
        and q["left"] < p["right"]
        and p["top"] < q["bottom"]
        and q["top"] < p["bottom"]
    ]


def named_graph(n: int) -> nx.Graph:
    """A clustered graph whose names are as long as real ones (8 to 30 characters)."""
    G = nx.powerlaw_cluster_graph(n, 2, 0.4, seed=3)
    G = nx.relabel_nodes(G, {i: f"k{i}" for i in G})
    words = ["Minister", "Holdings", "of the", "Bank", "Council", "Union", "Party", "Group"]
    for i, node in enumerate(G):
        name = f"{words[i % 8]} {i} {words[(i * 3) % 8] * (1 + i % 2)}"[: 8 + i % 23]
        entity(G, node, name, "ORG" if i % 3 else "PERSON", mentions=1 + (i * 7) % 40)
    for u, v in list(G.edges()):
        tie(G, u, v, 1 + (int(u[1:]) + int(v[1:])) % 5, f"{u} and {v} met.")
    return G


def test_largest_labels_do_not_overlap_at_the_first_view(open_page, tmp_path):
    path = tmp_path / "labels.html"
    summary = write_page(named_graph(300), path)
    assert summary.entities == 300 and not summary.physics
    page = open_page(path)
    largest = page.js("graphkit.labelled")
    values = page.js("graphkit.data.nodes.map(n => n.value)")
    assert len(largest) == 30
    assert sorted(values[i] for i in largest) == sorted(values, reverse=True)[:30][::-1]
    boxes = page.js(LABEL_BOXES, largest)
    area = page.page.locator("#network").bounding_box()
    for box in boxes:
        assert box["shown"] >= 7, f"{box['label']!r} is too small to be drawn"
        assert box["left"] >= 0 and box["right"] <= area["width"], box
        assert box["top"] >= 0 and box["bottom"] <= area["height"], box
    assert overlaps(boxes) == []


def test_overlap_check_finds_overlaps():
    """The check above can fail: two boxes that share a corner are caught, neighbours are not."""
    a = {"label": "a", "left": 0, "right": 10, "top": 0, "bottom": 10}
    b = {"label": "b", "left": 9, "right": 20, "top": 9, "bottom": 20}
    c = {"label": "c", "left": 10, "right": 20, "top": 0, "bottom": 8}
    assert overlaps([a, b, c]) == [("a", "b")]
    assert overlaps([a, c]) == []


def test_ego_page_fits_beside_the_panel(open_page, tmp_path):
    path = tmp_path / "ego.html"
    write_page(big_graph(200), path, focus="E17")
    page = open_page(path)
    assert page.page.title() == "Entity 17"
    area = page.page.locator("#network").bounding_box()
    panel = page.page.locator("#panel").bounding_box()
    assert panel["width"] > 300
    n = page.js("graphkit.nodes.length")
    for i in range(n):
        x, y = page.node_point(i)
        assert area["x"] <= x < panel["x"], f"node {i} is under the panel or off the left edge"
        assert area["y"] <= y <= area["y"] + area["height"]


def test_panel_lists_every_tie_and_the_command_for_more(open_page, small_page):
    page = open_page(small_page)
    page.js("graphkit.select(graphkit.search('Alice Moreau')[0].id)")
    items = page.page.locator("#panel ol.ties > li")
    assert items.count() == 2
    assert (
        items.nth(0)
        .inner_text()
        .startswith("Bank of Lorraine ORG · 3 sentences in 1 article · weight 3 ")
    )
    assert page.page.locator("#panel code.command").inner_text() == (
        'graphkit mentions "Alice Moreau" --sentences'
    )
    items.nth(0).get_by_role("button", name="all 3 sentences").click()
    assert page.page.locator("#panel h2").inner_text() == "Alice Moreau — Bank of Lorraine"
    assert page.page.locator("#panel ol.evidence > li").count() == 1
    assert page.js("document.querySelector('#panel .command-line').textContent") == (
        '2 more sentences: graphkit evidence "Alice Moreau" "Bank of Lorraine"'
    )


def test_every_tie_of_a_hub_is_listed(open_page, tmp_path):
    G = big_graph(1000)
    hub = max(G, key=G.degree)
    path = tmp_path / "big.html"
    write_page(G, path, top=50)
    page = open_page(path)
    page.js("name => graphkit.select(graphkit.search(name)[0].id)", G.nodes[hub]["name"])
    jumps = "#panel ol.ties > li > button.jump"
    names = page.js(f"[...document.querySelectorAll('{jumps}')].map(b => b.textContent)")
    assert sorted(names) == sorted(G.nodes[n]["name"] for n in G.adj[hub])
    weights = [G.edges[hub, other]["weight"] for other in G.adj[hub]]
    shown = page.js(
        "[...document.querySelectorAll('#panel ol.ties > li > span.muted')].map(s => s.textContent)"
    )
    assert [int(s.split("·")[1].split()[0]) for s in shown] == sorted(weights, reverse=True)
    off = page.js("document.querySelectorAll('#panel ol.ties button.off-page').length")
    assert 0 < off < len(names)


def test_search_finds_entities_not_drawn_and_gives_their_page_command(open_page, tmp_path):
    G = big_graph(1000)
    path = tmp_path / "big.html"
    write_page(G, path, top=50)
    page = open_page(path)
    drawn = set(page.js("graphkit.data.nodes.map(n => n.key)"))
    key = next(k for k in G if k not in drawn)
    name = G.nodes[key]["name"]
    page.page.fill("#search", name)
    first = page.page.locator("#results li").first
    assert first.inner_text() == f"{name}not on this page"
    hit = page.js("q => graphkit.search(q)[0]", name)
    assert hit["offPage"] is True and hit["id"] is None
    page.page.press("#search", "Enter")
    assert page.page.locator("#panel h2").inner_text() == name
    text = page.panel_text()
    assert "Not drawn on this page." in text
    commands = page.js(
        "[...document.querySelectorAll('#panel code.command')].map(c => c.textContent)"
    )
    slug = name.lower().replace(" ", "-")
    assert commands == [
        f'graphkit page --focus "{name}" -o {slug}.html',
        f'graphkit mentions "{name}" --sentences',
    ]
    page.page.fill("#search", "no such entity anywhere")
    assert page.page.inner_text("#results") == "no match"


def test_commands_quote_hostile_names_for_the_shell(open_page, hostile_page):
    page = open_page(hostile_page)
    names = page.js("graphkit.data.nodes.map(n => n.name)")
    for name in names:
        line = page.js("n => graphkit.commands.mentions(n)", name)
        assert shlex.split(line) == ["graphkit", "mentions", name, "--sentences"]
    line = page.js("([a, b]) => graphkit.commands.evidence(a, b)", names[:2])
    assert shlex.split(line) == ["graphkit", "evidence", *names[:2]]
    assert page.js("graphkit.shellQuote('-rm')") == '"-rm"'
    assert shlex.split(page.js("graphkit.commands.evidence('-x', 'B')")) == [
        "graphkit",
        "evidence",
        "--",
        "-x",
        "B",
    ]
    assert page.js(FLAGS) == ["undefined", "undefined"]


def test_page_commands_carry_the_store_and_period(open_page, tmp_path):
    path = tmp_path / "db.html"
    write_page(
        big_graph(30),
        path,
        command="graphkit --db 'my store.db'",
        command_filters="--since 2024-01 --where 'author=J. Doe'",
        graph_filters="--exclude 'Entity 3' --lists",
    )
    page = open_page(path)
    line = page.js("graphkit.commands.evidence('Entity 1', 'Entity 2')")
    selection = ["--since", "2024-01", "--where", "author=J. Doe"]
    assert shlex.split(line) == [
        "graphkit",
        "--db",
        "my store.db",
        "evidence",
        "Entity 1",
        "Entity 2",
        *selection,
    ]
    # the mentions of an entity are the same whoever else is left out; its page is not
    line = page.js("graphkit.commands.mentions('Entity 1')")
    assert shlex.split(line)[3:] == ["mentions", "Entity 1", "--sentences", *selection]
    line = page.js("graphkit.commands.page('Entity 1')")
    assert shlex.split(line)[3:] == [
        "page",
        "--focus",
        "Entity 1",
        "-o",
        "entity-1.html",
        *selection,
        "--exclude",
        "Entity 3",
        "--lists",
    ]
