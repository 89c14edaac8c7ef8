// graphkit page script. Every piece of text from the graph (names, aliases, article
// titles, sentences) is untrusted: it enters the DOM only through textContent, Text
// nodes or element properties, never as markup. Links are set through element.href,
// and only for http(s) URLs.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graphkit-data").textContent);
  const meta = data.meta;
  const byId = (id) => document.getElementById(id);
  const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en") : String(n));
  const measure = (v) => (Number.isInteger(v) ? fmt(v) : Number(v).toPrecision(3));
  const plural = (n, word) => `${fmt(n)} ${n === 1 ? word : word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }

  // "— Article title (2024-03-01)", the title a link when the article's URL is http(s).
  function source(articleIndex) {
    const [title, date, url] = data.articles[articleIndex] || ["", null, null];
    const line = el("span", null, "source");
    const name = title || "untitled article";
    const href = safeUrl(url);
    let link;
    if (href) {
      link = el("a", name);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    } else {
      link = el("span", name);
    }
    line.append("— ", link);
    if (date) line.append(` (${date})`);
    return line;
  }

  function evidence(record) {
    const box = document.createDocumentFragment();
    if (!record) return box;
    box.append(el("blockquote", record[1]), source(record[0]));
    return box;
  }

  function colour(node) {
    return (meta.groups[node.group] || { colour: "#bab0ac" }).colour;
  }

  // Tooltips are DOM elements built with textContent: vis-network shows them as they are.
  function nodeTooltip(node) {
    const tip = el("div", null, "tip");
    tip.append(el("strong", node.name));
    tip.append(el("div", `${node.type || "unknown type"} · ${plural(node.mentions, "mention")} in ${plural(node.articles, "article")}`));
    const others = node.aliases.filter((a) => a !== node.name).slice(0, 5);
    if (others.length) tip.append(el("div", `also: ${others.join(", ")}`, "muted"));
    tip.append(el("div", "click for connections and evidence", "muted"));
    return tip;
  }

  function edgeTooltip(edge) {
    const [a, b, t] = edge;
    const [weight, articles, total, records] = data.ties[t];
    const tip = el("div", null, "tip");
    tip.append(el("strong", `${data.nodes[a].name} — ${data.nodes[b].name}`));
    tip.append(el("div", `${plural(total, "sentence")} in ${plural(articles, "article")} · weight ${measure(weight)}`));
    if (records.length) tip.append(evidence(records[0]));
    return tip;
  }

  // ---- commands the page suggests: names are shell-quoted, never trusted ----
  // Double quotes when nothing in the name is special inside them, else POSIX single quotes.
  function shellQuote(text) {
    const value = String(text);
    if (!/["$`\\!\x00-\x1f\x7f]/.test(value)) return `"${value}"`;
    return `'${value.replace(/'/g, `'"'"'`)}'`;
  }
  // graphkit SUB ARGS OPTIONS, or SUB OPTIONS -- ARGS when an argument starts with "-".
  // Every command repeats the page's article selection; a page command also its graph options.
  function command(sub, args, options = []) {
    const quoted = args.map(shellQuote);
    const filters = sub === "page" ? [meta.filters, meta.graphFilters] : [meta.filters];
    const rest = [...options, ...filters.filter(Boolean)];
    const tail = args.some((a) => String(a).startsWith("-")) ? [...rest, "--", ...quoted] : [...quoted, ...rest];
    return [meta.command, sub, ...tail].join(" ");
  }
  const slug = (name) => String(name).normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "entity";
  const commands = {
    evidence: (a, b) => command("evidence", [a, b]),
    mentions: (name) => command("mentions", [name], ["--sentences"]),
    page: (name) => {
      const focus = String(name).startsWith("-") ? [`--focus=${shellQuote(name)}`] : ["--focus", shellQuote(name)];
      return command("page", [], [...focus, "-o", `${slug(name)}.html`]);
    },
  };
  function commandLine(text, commandText) {
    const line = el("p", text, "command-line");
    line.append(el("code", commandText, "command"));
    return line;
  }

  const nodes = new vis.DataSet(
    data.nodes.map((node, i) => ({
      id: i,
      label: node.name.length > 40 ? `${node.name.slice(0, 39)}…` : node.name,
      value: node.value,
      x: node.x,
      y: node.y,
      color: { background: colour(node), border: "#52606d", highlight: { background: colour(node), border: "#1f2933" } },
      borderWidth: i === meta.focus ? 4 : 1,
      title: nodeTooltip(node),
    }))
  );
  const edges = new vis.DataSet(
    data.edges.map((edge, i) => ({ id: i, from: edge[0], to: edge[1], value: data.ties[edge[2]][0], title: edgeTooltip(edge) }))
  );
  const many = data.edges.length > 2000;
  const options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 0 },
    nodes: {
      shape: "dot",
      borderWidth: 1,
      font: { face: "system-ui, sans-serif", color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: {
        min: meta.nodeSizes[0],
        max: meta.nodeSizes[1],
        label: { enabled: true, min: 9, max: 26, drawThreshold: 8, maxVisible: 32 },
        customScalingFunction: (min, max, total, value) => (max > min ? Math.sqrt((value - min) / (max - min)) : 0.5),
      },
    },
    edges: {
      smooth: false,
      color: { color: "#9aa5b1", highlight: "#1f2933", hover: "#52606d", opacity: 0.55 },
      scaling: { min: meta.edgeWidths[0], max: meta.edgeWidths[1] },
      selectionWidth: 1.5,
    },
    physics: meta.physics
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: { iterations: 250, fit: true } }
      : false,
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: many, hideEdgesOnZoom: many },
  };

  const graphkit = { data, nodes, edges, ready: false, network: null };
  window.graphkit = graphkit;
  const hiddenTypes = new Set();
  let network = null;

  // ---- the panel: who an entity is and who it is mentioned with, with evidence ----
  const panel = byId("panel");
  const body = byId("panel-body");
  function closePanel() {
    panel.hidden = true;
    network.unselectAll();
  }
  byId("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) closePanel();
  });

  // An entity a tie points to: drawn (index >= 0) or one of data.others (index -1).
  function entity(ref) {
    if (ref >= 0) {
      const node = data.nodes[ref];
      return { index: ref, other: -1, name: node.name, type: node.type };
    }
    const [name, type] = data.others[-1 - ref];
    return { index: -1, other: -1 - ref, name, type };
  }

  function jump(target) {
    const button = el("button", target.name, target.index >= 0 ? "jump" : "jump off-page");
    button.type = "button";
    if (target.index < 0) button.title = "not drawn on this page";
    button.addEventListener("click", () => (target.index >= 0 ? select(target.index) : showOther(target.other)));
    return button;
  }

  function facts(rows) {
    const list = el("dl");
    for (const [term, value] of rows) list.append(el("dt", term), el("dd", value));
    return list;
  }

  // Every tie of an entity, strongest first; each with its first sentence and a way to all of them.
  function tieList(self, ties) {
    const list = el("ol", null, "ties");
    for (const [ref, t] of ties) {
      const [weight, articles, total, records] = data.ties[t];
      const other = entity(ref);
      const item = el("li");
      item.append(jump(other), el("span", ` ${other.type} · ${plural(total, "sentence")} in ${plural(articles, "article")} · weight ${measure(weight)} `, "muted"));
      const more = el("button", total === 1 ? "the sentence" : `all ${plural(total, "sentence")}`, "more");
      more.type = "button";
      more.addEventListener("click", () => showTie(t, self, other));
      item.append(more);
      if (records.length) item.append(evidence(records[0]));
      list.append(item);
    }
    return list;
  }

  function showPanel(index) {
    const node = data.nodes[index];
    if (!node) return;
    const self = entity(index);
    body.replaceChildren();
    body.append(el("h2", node.name));
    body.append(el("div", node.type || "unknown type", "muted"));
    const rows = [
      ["mentions", fmt(node.mentions)],
      ["articles", fmt(node.articles)],
      ["mentioned with", plural(node.degree, "entity")],
      [meta.sizeBy, measure(node.value)],
    ];
    if (node.first) rows.push(["seen", node.first === node.last ? node.first : `${node.first} to ${node.last}`]);
    body.append(facts(rows));
    body.append(el("h3", `Aliases (${node.aliases.length})`));
    const aliases = el("ul", null, "aliases");
    for (const alias of node.aliases) aliases.append(el("li", alias));
    body.append(aliases);
    body.append(el("h3", `Ties (${fmt(node.ties.length)}), strongest first`));
    if (!node.ties.length) body.append(el("p", "mentioned with no other entity", "muted"));
    body.append(tieList(self, node.ties));
    body.append(commandLine("Every article and sentence that mentions it: ", commands.mentions(node.name)));
    openPanel();
    graphkit.shown = index;
  }

  // A tie: every sentence the page carries, then how many more there are and the command for all.
  function showTie(t, first, second) {
    const [weight, articles, total, records] = data.ties[t];
    body.replaceChildren();
    const heading = el("h2");
    heading.append(jump(first), " — ", jump(second));
    body.append(heading, el("div", `${plural(total, "sentence")} in ${plural(articles, "article")} · weight ${measure(weight)}`, "muted"));
    body.append(el("h3", records.length < total ? `Evidence (${fmt(records.length)} of ${fmt(total)})` : `Evidence (${fmt(total)})`));
    const list = el("ol", null, "evidence");
    for (const record of records) {
      const item = el("li");
      item.append(evidence(record));
      list.append(item);
    }
    body.append(list);
    const rest = total - records.length;
    const all = commands.evidence(first.name, second.name);
    if (rest > 0) body.append(commandLine(`${plural(rest, "more sentence")}: `, all));
    else body.append(commandLine("The same in a terminal: ", all));
    openPanel();
    graphkit.shownTie = t;
  }

  function showEdge(index) {
    const [a, b, t] = data.edges[index];
    showTie(t, entity(a), entity(b));
  }

  // An entity of the store that is not drawn here: what the page knows, and its own page.
  let tiesOfOthers = null;
  function showOther(j) {
    const [name, type, mentions, aliases] = data.others[j];
    if (!tiesOfOthers) {
      tiesOfOthers = new Map();
      data.nodes.forEach((node, i) => {
        for (const [ref, t] of node.ties) if (ref < 0) {
          if (!tiesOfOthers.has(ref)) tiesOfOthers.set(ref, []);
          tiesOfOthers.get(ref).push([i, t]);
        }
      });
    }
    const ties = (tiesOfOthers.get(-1 - j) || []).slice().sort((p, q) => p[1] - q[1]);
    body.replaceChildren();
    body.append(el("h2", name), el("div", type || "unknown type", "muted"));
    body.append(el("p", "Not drawn on this page.", "off-page-note"));
    body.append(commandLine("Its own page: ", commands.page(name)));
    body.append(facts([["mentions", fmt(mentions)]]));
    if (aliases.length) {
      body.append(el("h3", `Also written (${aliases.length})`));
      const list = el("ul", null, "aliases");
      for (const alias of aliases) list.append(el("li", alias));
      body.append(list);
    }
    body.append(el("h3", `Ties with entities drawn here (${fmt(ties.length)})`));
    body.append(tieList(entity(-1 - j), ties));
    body.append(commandLine("Every article and sentence that mentions it: ", commands.mentions(name)));
    openPanel();
    graphkit.shownOther = j;
  }

  function openPanel() {
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function select(index, { animate = true } = {}) {
    const node = data.nodes[index];
    if (!node) return;
    if (hiddenTypes.has(node.type)) setType(node.type, true);
    network.selectNodes([index]);
    showPanel(index);
    const offset = { x: -Math.min(panel.offsetWidth, byId("network").offsetWidth / 2) / 2, y: 0 };
    network.focus(index, { scale: Math.max(network.getScale(), 0.8), offset, animation: animate ? { duration: 300 } : false });
  }

  // ---- search over every name and alias in the store: drawn entities first ----
  const fold = (text) => String(text).normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  const terms = data.nodes.map((node) => [node.name, ...node.aliases].map(fold));
  const otherTerms = data.others.map(([name, , , aliases]) => [name, ...aliases].map(fold));

  function score(words, wanted) {
    let best = 9;
    let matched = null;
    words.forEach((word, w) => {
      const s = word === wanted ? 0 : word.startsWith(wanted) ? 1 : word.includes(` ${wanted}`) ? 2 : word.includes(wanted) ? 3 : 9;
      if (s < best) {
        best = s;
        matched = w;
      }
    });
    return [best, matched];
  }

  // Matches as {id, name, alias, offPage, other}: id is the node's index, or null off the page.
  function search(query, limit = 10) {
    const wanted = fold(query);
    if (!wanted) return [];
    const found = [];
    terms.forEach((words, i) => {
      const [best, matched] = score(words, wanted);
      if (best < 9) found.push({ score: best, drawn: 0, rank: -data.nodes[i].value, i, matched });
    });
    otherTerms.forEach((words, j) => {
      const [best, matched] = score(words, wanted);
      if (best < 9) found.push({ score: best, drawn: 1, rank: j, j, matched });
    });
    found.sort((p, q) => p.score - q.score || p.drawn - q.drawn || p.rank - q.rank);
    return found.slice(0, limit).map((hit) => {
      if (!hit.drawn) {
        const node = data.nodes[hit.i];
        return { id: hit.i, name: node.name, alias: hit.matched > 0 ? node.aliases[hit.matched - 1] : null, offPage: false, other: null };
      }
      const [name, , , aliases] = data.others[hit.j];
      return { id: null, name, alias: hit.matched > 0 ? aliases[hit.matched - 1] : null, offPage: true, other: hit.j };
    });
  }

  const input = byId("search");
  const results = byId("results");
  const open = (match) => (match.offPage ? showOther(match.other) : select(match.id));
  function showResults() {
    results.replaceChildren();
    const found = search(input.value);
    if (input.value.trim() && !found.length) results.append(el("li", "no match", "muted"));
    for (const match of found) {
      const button = el("button");
      button.type = "button";
      button.append(el("span", match.name));
      if (match.alias && match.alias !== match.name) button.append(el("span", `(${match.alias})`, "muted"));
      if (match.offPage) button.append(el("span", "not on this page", "off-page"));
      button.addEventListener("click", () => open(match));
      const item = el("li");
      item.append(button);
      results.append(item);
    }
    return found;
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const found = showResults();
    if (found.length) open(found[0]);
  });

  // ---- filter by type, and the legend ----
  const typeCounts = new Map();
  for (const node of data.nodes) typeCounts.set(node.type, (typeCounts.get(node.type) || 0) + 1);
  const typeBoxes = new Map();

  function setType(type, visible) {
    if (visible) hiddenTypes.delete(type);
    else hiddenTypes.add(type);
    const box = typeBoxes.get(type);
    if (box) box.checked = visible;
    const changes = [];
    data.nodes.forEach((node, i) => {
      if (node.type === type) changes.push({ id: i, hidden: !visible });
    });
    nodes.update(changes);
  }

  function swatch(colourValue) {
    const dot = el("span", null, "swatch");
    dot.style.backgroundColor = colourValue;
    return dot;
  }

  const typeColours = meta.colorBy === "type" ? new Map(meta.groups.map((g) => [g.label, g.colour])) : null;
  const types = byId("types");
  for (const [type, count] of [...typeCounts].sort((p, q) => q[1] - p[1])) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = type;
    box.addEventListener("change", () => setType(type, box.checked));
    typeBoxes.set(type, box);
    label.append(box);
    if (typeColours) label.append(swatch(typeColours.get(type || "unknown") || "#bab0ac"));
    label.append(el("span", type || "unknown"), el("span", fmt(count), "count"));
    types.append(label);
  }
  if (typeColours) {
    byId("legend-box").hidden = true;
    byId("types-box").querySelector("h2").textContent = "Types (colour)";
  } else {
    byId("legend-title").textContent = "Communities (colour)";
    const legend = byId("legend");
    for (const group of meta.groups) {
      const item = el("li");
      item.append(swatch(group.colour), el("span", group.label), el("span", fmt(group.count), "count"));
      legend.append(item);
    }
  }
  byId("notice").textContent = meta.notice;
  byId("size-note").textContent = `Node size: ${meta.sizeBy}. Edge width: tie weight (each sentence shared among the pairs it names). Labels show on the larger nodes; zoom in for more. ${meta.about}`;

  Object.assign(graphkit, { search, select, showPanel, showEdge, showTie, showOther, setType, commands, shellQuote });

  // ---- the network, last: its events may call everything above ----
  // Labels: at the first full view, the LABELLED largest nodes get readable labels and
  // the rest fall under vis.js's drawThreshold; zooming in shows more of them.
  const LABELLED = 30;
  const THRESHOLD = 8;
  const byValue = data.nodes.map((node, i) => i).sort((p, q) => data.nodes[q].value - data.nodes[p].value || p - q);
  function sizeLabels() {
    const values = byValue.map((i) => data.nodes[i].value);
    if (values.length < 2) return;
    const scale = network.getScale() || 1;
    const lo = values[values.length - 1];
    const hi = values[0];
    const cut = values[Math.min(LABELLED, values.length) - 1];
    const at = hi > lo ? Math.sqrt((cut - lo) / (hi - lo)) : 1;
    const max = 15 / scale;
    const wanted = (THRESHOLD + 0.5) / scale;
    const min = values.length <= LABELLED ? max * 0.75 : at < 1 ? Math.max(1, (wanted - max * at) / (1 - at)) : max;
    network.setOptions({ nodes: { scaling: { label: { enabled: true, min, max, drawThreshold: THRESHOLD, maxVisible: 24 } } } });
    nodes.update({ id: 0 }); // vis.js recomputes label sizes only when the data changes
  }

  // The whole graph in view; on an ego page, in the part of the view the open panel leaves free.
  function fitView() {
    const ids = data.nodes.map((node, i) => i);
    if (!ids.length) return;
    const free = panel.hidden ? 0 : Math.min(panel.offsetWidth, byId("network").offsetWidth * 0.6);
    const width = byId("network").offsetWidth - free;
    const height = byId("network").offsetHeight;
    const positions = network.getPositions(ids);
    let [left, right, top, bottom] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const i of ids) {
      const { x, y } = positions[i];
      const r = network.body.nodes[i] ? network.body.nodes[i].shape.radius || 10 : 10;
      left = Math.min(left, x - r);
      right = Math.max(right, x + r);
      top = Math.min(top, y - r);
      bottom = Math.max(bottom, y + r);
    }
    // and the labels drawn at the current zoom, so that none is cut at the edges
    for (const box of labelBoxes(visibleLabels())) {
      left = Math.min(left, box.left);
      right = Math.max(right, box.left + box.width);
      top = Math.min(top, box.top);
      bottom = Math.max(bottom, box.top + box.height);
    }
    const scale = Math.min((width * 0.92) / Math.max(right - left, 1), (height * 0.9) / Math.max(bottom - top, 1), 1);
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale, offset: { x: -free / 2, y: 0 }, animation: false });
  }

  // Label boxes (canvas units) as vis.js measured them when it last drew.
  function labelBoxes(ids) {
    network.redraw();
    const positions = network.getPositions(ids);
    return ids.map((i) => {
      const size = network.body.nodes[i].labelModule.size;
      const { x, y } = positions[i];
      return { i, x, y, left: size.left, top: size.top, width: size.width, height: size.height };
    });
  }

  // What a labelled node covers: its dot and its label, relative to its centre.
  function footprints(ids) {
    return labelBoxes(ids).map((box) => {
      const r = network.body.nodes[box.i].shape.radius || 0;
      const left = Math.min(box.left, box.x - r);
      const top = Math.min(box.top, box.y - r);
      const right = Math.max(box.left + box.width, box.x + r);
      const bottom = Math.max(box.top + box.height, box.y + r);
      return { i: box.i, x: box.x, y: box.y, dx: left - box.x, dy: top - box.y, width: right - left, height: bottom - top };
    });
  }

  // Move the largest nodes apart until their labels no longer overlap at this zoom.
  function separateLabels(boxes, pad) {
    let moved = false;
    for (let round = 0; round < 200; round++) {
      let clash = false;
      for (let p = 0; p < boxes.length; p++) {
        for (let q = p + 1; q < boxes.length; q++) {
          const a = boxes[p];
          const b = boxes[q];
          const ox = Math.min(a.x + a.dx + a.width, b.x + b.dx + b.width) - Math.max(a.x + a.dx, b.x + b.dx) + pad;
          const oy = Math.min(a.y + a.dy + a.height, b.y + b.dy + b.height) - Math.max(a.y + a.dy, b.y + b.dy) + pad;
          if (ox <= 0 || oy <= 0) continue;
          clash = true;
          // push along the axis that needs the shorter move, half each
          if (ox < oy) {
            const s = a.x + a.dx + a.width / 2 <= b.x + b.dx + b.width / 2 ? 1 : -1;
            a.x -= (s * ox) / 2;
            b.x += (s * ox) / 2;
          } else {
            const s = a.y + a.dy + a.height / 2 <= b.y + b.dy + b.height / 2 ? 1 : -1;
            a.y -= (s * oy) / 2;
            b.y += (s * oy) / 2;
          }
        }
      }
      if (!clash) break;
      moved = true;
    }
    // network.moveNode would redraw once per node (a timer each): set them, then draw once.
    if (moved) {
      for (const box of boxes) Object.assign(network.body.nodes[box.i], { x: box.x, y: box.y });
      network.redraw();
    }
    return moved;
  }

  // The labels vis.js draws at this zoom (its own rule: on-screen size >= drawThreshold - 1).
  function visibleLabels() {
    const scale = network.getScale() || 1;
    return byValue.filter((i) => {
      const label = network.body.nodes[i].labelModule;
      return label.fontOptions.size * scale >= THRESHOLD - 1;
    });
  }

  // The first view: fit, size the labels for that zoom, move colliding labels apart, repeat.
  function arrange() {
    for (let pass = 0; pass < 6; pass++) {
      fitView();
      sizeLabels();
      network.redraw();
      const shown = new Set([...byValue.slice(0, LABELLED), ...visibleLabels()]);
      if (!separateLabels(footprints([...shown]), 4 / (network.getScale() || 1))) break;
    }
    fitView();
    sizeLabels();
  }

  function markReady() {
    if (graphkit.ready) return;
    if (meta.focus !== null && meta.focus !== undefined && data.nodes[meta.focus]) {
      network.selectNodes([meta.focus]);
      showPanel(meta.focus);
    }
    arrange();
    graphkit.ready = true;
    graphkit.readyAt = performance.now();
    document.body.dataset.ready = "true";
  }
  network = new vis.Network(byId("network"), { nodes, edges }, options);
  graphkit.network = network;
  Object.assign(graphkit, { fitView, labelBoxes, visibleLabels, labelled: byValue.slice(0, LABELLED) });
  graphkit.select = select;
  network.on("click", (params) => {
    if (params.nodes.length) showPanel(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  if (meta.physics && data.nodes.length) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: false });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
    if (!data.nodes.length) markReady();
  }
})();
