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
    const [a, b, weight, articles, records] = edge;
    const tip = el("div", null, "tip");
    tip.append(el("strong", `${data.nodes[a].name} — ${data.nodes[b].name}`));
    tip.append(el("div", `${plural(weight, "co-mention")} in ${plural(articles, "article")}`));
    if (records.length) tip.append(evidence(records[0]));
    return tip;
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
    data.edges.map((edge, i) => ({ id: i, from: edge[0], to: edge[1], value: edge[2], title: edgeTooltip(edge) }))
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
        min: 6,
        max: 40,
        label: { enabled: true, min: 9, max: 26, drawThreshold: 8, maxVisible: 32 },
        customScalingFunction: (min, max, total, value) => (max > min ? Math.sqrt((value - min) / (max - min)) : 0.5),
      },
    },
    edges: {
      smooth: false,
      color: { color: "#9aa5b1", highlight: "#1f2933", hover: "#52606d", opacity: 0.55 },
      scaling: { min: 1, max: 8 },
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

  function jump(index, text) {
    if (index < 0) {
      const span = el("strong", text);
      span.title = "not on this page";
      return span;
    }
    const button = el("button", text, "jump");
    button.type = "button";
    button.addEventListener("click", () => select(index));
    return button;
  }

  function showPanel(index) {
    const node = data.nodes[index];
    if (!node) return;
    body.replaceChildren();
    body.append(el("h2", node.name));
    body.append(el("div", node.type || "unknown type", "muted"));
    const facts = el("dl");
    const rows = [
      ["mentions", fmt(node.mentions)],
      ["articles", fmt(node.articles)],
      ["mentioned with", plural(node.degree, "entity")],
      [meta.sizeBy, measure(node.value)],
    ];
    if (node.first) rows.push(["seen", node.first === node.last ? node.first : `${node.first} to ${node.last}`]);
    for (const [term, value] of rows) facts.append(el("dt", term), el("dd", value));
    body.append(facts);
    body.append(el("h3", `Aliases (${node.aliases.length})`));
    const aliases = el("ul", null, "aliases");
    for (const alias of node.aliases) aliases.append(el("li", alias));
    body.append(aliases);
    body.append(el("h3", "Strongest ties"));
    if (!node.neighbours.length) body.append(el("p", "mentioned with no other entity", "muted"));
    const list = el("ol", null, "neighbours");
    for (const [other, name, type, weight, articles, record] of node.neighbours) {
      const item = el("li");
      item.append(jump(other, name), el("span", ` ${type} · ${plural(weight, "co-mention")} in ${plural(articles, "article")}`, "muted"));
      item.append(evidence(record));
      list.append(item);
    }
    body.append(list);
    panel.hidden = false;
    graphkit.shown = index;
  }

  function showEdge(index) {
    const [a, b, weight, articles, records] = data.edges[index];
    body.replaceChildren();
    const heading = el("h2");
    heading.append(jump(a, data.nodes[a].name), " — ", jump(b, data.nodes[b].name));
    body.append(heading, el("div", `${plural(weight, "co-mention")} in ${plural(articles, "article")}`, "muted"));
    body.append(el("h3", "Evidence"));
    const list = el("ol");
    for (const record of records) {
      const item = el("li");
      item.append(evidence(record));
      list.append(item);
    }
    body.append(list);
    panel.hidden = false;
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

  // ---- search over names and aliases ----
  const fold = (text) => String(text).normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  const terms = data.nodes.map((node) => [node.name, ...node.aliases].map(fold));

  function search(query, limit = 10) {
    const wanted = fold(query);
    if (!wanted) return [];
    const found = [];
    terms.forEach((words, i) => {
      let best = 9;
      let matched = null;
      words.forEach((word, w) => {
        const score = word === wanted ? 0 : word.startsWith(wanted) ? 1 : word.includes(` ${wanted}`) ? 2 : word.includes(wanted) ? 3 : 9;
        if (score < best) {
          best = score;
          matched = w;
        }
      });
      if (best < 9) found.push({ id: i, score: best, matched });
    });
    found.sort((p, q) => p.score - q.score || data.nodes[q.id].value - data.nodes[p.id].value);
    return found.slice(0, limit).map(({ id, matched }) => {
      const node = data.nodes[id];
      return { id, name: node.name, alias: matched > 0 ? node.aliases[matched - 1] : null };
    });
  }

  const input = byId("search");
  const results = byId("results");
  function showResults() {
    results.replaceChildren();
    const found = search(input.value);
    if (input.value.trim() && !found.length) results.append(el("li", "no match", "muted"));
    for (const match of found) {
      const button = el("button");
      button.type = "button";
      button.append(el("span", match.name));
      if (match.alias && match.alias !== match.name) button.append(el("span", `(${match.alias})`, "muted"));
      button.addEventListener("click", () => select(match.id));
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
    if (found.length) select(found[0].id);
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
  byId("size-note").textContent = `Node size: ${meta.sizeBy}. Edge width: co-mentions. Labels show on the larger nodes; zoom in for more. ${meta.about}`;

  Object.assign(graphkit, { search, select, showPanel, showEdge, setType });

  // ---- the network, last: its events may call everything above ----
  // Labels: at the first full view, the LABELLED largest nodes get readable labels and
  // the rest fall under vis.js's drawThreshold; zooming in shows more of them.
  const LABELLED = 25;
  const THRESHOLD = 8;
  function sizeLabels() {
    const values = data.nodes.map((node) => node.value).sort((p, q) => q - p);
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

  function markReady() {
    if (graphkit.ready) return;
    sizeLabels();
    graphkit.ready = true;
    graphkit.readyAt = performance.now();
    document.body.dataset.ready = "true";
    if (meta.focus !== null && meta.focus !== undefined) select(meta.focus, { animate: false });
  }
  network = new vis.Network(byId("network"), { nodes, edges }, options);
  graphkit.network = network;
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
