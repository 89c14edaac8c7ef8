"""How readable a page's first view is: overlapping labels among the largest nodes.

For each page given, opens it offline in headless Debian chromium (as
``scripts/screenshot.py`` does), waits until it is ready, and measures every
label vis-network draws at the first view: its width with the canvas's own
``measureText`` in the font it was drawn with, its top and height where
vis-network put it. It prints, per page, how many labels are drawn, how many
pairs overlap among the 30 largest nodes and among all drawn labels, how many
of the 30 largest labels are cut by the edges of the view or hidden under the
open panel, and the time until the page was ready. Figures are informative,
never asserted (the browser test checks the 30 largest on a synthetic graph).

Usage: ``python benchmarks/page_labels.py PAGE.html [PAGE.html ...] [--width 1280 --height 800]``
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LARGEST = 30
MEASURE = """largest => {
  const net = graphkit.network;
  const ctx = net.canvas.frame.canvas.getContext("2d");
  const scale = net.getScale();
  const threshold = net.body.nodes[0] ? net.body.nodes[0].options.scaling.label.drawThreshold : 8;
  const order = graphkit.data.nodes.map((n, i) => i)
    .sort((p, q) => graphkit.data.nodes[q].value - graphkit.data.nodes[p].value || p - q);
  const top = new Set(order.slice(0, largest));
  const panel = document.getElementById("panel");
  const free = panel.hidden ? Infinity : panel.getBoundingClientRect().left
    - document.getElementById("network").getBoundingClientRect().left;
  const boxes = [];
  for (const i of order) {
    const node = net.body.nodes[i];
    const font = node.labelModule.fontOptions;
    if (!node.options.label || font.size * scale < threshold - 1) continue;
    ctx.font = `${font.size}px ${font.face}`;
    const width = ctx.measureText(node.options.label).width;
    const x = net.getPositions([i])[i].x;
    const size = node.labelModule.size;
    const a = net.canvasToDOM({ x: x - width / 2, y: size.top });
    const b = net.canvasToDOM({ x: x + width / 2, y: size.top + size.height });
    boxes.push({ top: top.has(i), l: a.x, t: a.y, r: b.x, b: b.y });
  }
  const hit = (p, q) => p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b;
  let all = 0, largestPairs = 0;
  for (let p = 0; p < boxes.length; p++) for (let q = p + 1; q < boxes.length; q++) {
    if (!hit(boxes[p], boxes[q])) continue;
    all += 1;
    if (boxes[p].top && boxes[q].top) largestPairs += 1;
  }
  const width = net.canvas.frame.canvas.clientWidth, height = net.canvas.frame.canvas.clientHeight;
  const right = Math.min(width, free);
  const cut = boxes.filter((b) => b.top && (b.l < 0 || b.t < 0 || b.r > right || b.b > height));
  return { drawn: boxes.length, largestDrawn: boxes.filter((b) => b.top).length,
           largestPairs, allPairs: all, largestCut: cut.length };
}"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location(
        "screenshot", HERE.parent / "scripts" / "screenshot.py"
    )
    screenshot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshot)
    from playwright.sync_api import sync_playwright

    header = ("page", "drawn", f"top{LARGEST}_drawn", f"top{LARGEST}_overlaps", "all_overlaps",
              f"top{LARGEST}_cut", "ready_s")  # fmt: skip
    print("\t".join(header))
    with sync_playwright() as playwright:
        browser = screenshot.launch(playwright)
        try:
            for path in args.pages:
                start = time.perf_counter()
                page, _ = screenshot.open_offline(
                    browser, path, width=args.width, height=args.height
                )
                ready = time.perf_counter() - start
                m = page.evaluate(MEASURE, LARGEST)
                row = (path.name, m["drawn"], m["largestDrawn"], m["largestPairs"], m["allPairs"],
                       m["largestCut"], f"{ready:.1f}")  # fmt: skip
                print("\t".join(str(v) for v in row))
                page.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
