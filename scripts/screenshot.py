"""Screenshot a graphkit page in headless Debian chromium: ``screenshot.py PAGE.html OUT.png``.

Used by the Makefile for the README's picture (docs/demo.png) and by
``benchmarks/page.py`` for time-until-interactive. Every request that leaves
the page's own file is blocked, as in the browser tests, so the picture shows
what a reader sees offline. Needs Playwright for Python (the test extra) and
``/usr/bin/chromium`` (``make browser``); Playwright's own browser download is
never used.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

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
MISSING = (
    "Debian's chromium is not installed at /usr/bin/chromium: run 'make browser' "
    "(or 'apt-get install -y chromium' as root)"
)


def launch(playwright):
    """Debian's chromium, headless, through Playwright (never Playwright's own download)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        raise SystemExit(MISSING)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_offline(browser, path, *, width=1280, height=800, timeout=60_000):
    """Open ``path`` with every outside request blocked; return (page, blocked URLs)."""
    url = Path(path).resolve().as_uri()
    page = browser.new_page(viewport={"width": width, "height": height})
    blocked: list[str] = []

    def route(request_route):
        if request_route.request.url == url:
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    wait_until_ready(page, timeout=timeout)
    return page, blocked


def wait_until_ready(page, *, timeout=60_000):
    """Poll with ``page.evaluate`` until the page script says it is ready.

    Playwright's ``wait_for_function`` re-evaluates its predicate inside the
    page, which the page's Content-Security-Policy forbids (no 'unsafe-eval'),
    so it fails whenever the page is not ready at the first check.
    ``page.evaluate`` runs through the DevTools protocol and is not blocked.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate("() => Boolean(window.graphkit && window.graphkit.ready)"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page was not ready after {timeout / 1000:.0f} s")
        page.wait_for_timeout(50)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="a page written by graphkit")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--select", help="open the panel of the first entity matching this text")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page, blocked = open_offline(browser, args.page, width=args.width, height=args.height)
            if args.select:
                found = page.evaluate("q => graphkit.search(q)", args.select)
                if not found:
                    raise SystemExit(f"no entity on the page matches {args.select!r}")
                page.evaluate("i => graphkit.select(i)", found[0]["id"])
                page.wait_for_timeout(500)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
        finally:
            browser.close()
    if blocked:
        print(f"warning: the page asked for {len(blocked)} outside resources", file=sys.stderr)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
