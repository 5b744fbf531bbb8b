/* graphkit page: draws the JSON in #graphkit-data with vis-network, or on a large page
 * (meta.webgl) in WebGL with sigma.js.  The page's logic (what is shown, highlighted,
 * selected) is shared; each renderer is a "view" behind one small interface (see visView
 * and sigmaView).  Every text from the data reaches the DOM through textContent, never
 * innerHTML, and no vis-network `title` is set (vis puts string titles into innerHTML). */
(function () {
  "use strict";
  const started = performance.now();
  const data = JSON.parse(document.getElementById("graphkit-data").textContent);
  // readyAtMs: the first drawing, since navigation started; loadedAtMs: the cards' data too.
  const api = (window.graphkit = { readyAtMs: null, readyAfterMs: null, loadedAtMs: null });
  const meta = data.meta;
  const large = meta.large;
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", ' +
    '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
  const DIM_NODE = "#e3e7eb";
  const DIM_BORDER = "#d2d8de";
  const DIM_TEXT = "#b9c0c8";
  const DIM_EDGE = "#eaedf0";
  const INK = "#1f2933";
  const ARROW_MIN_SCALE = 0.3; // an arrowhead is then about 3 pixels long
  const FOCUS_MS = 300; // a move to an entity

  const typeStyle = new Map(data.types.map((t) => [t.type, t]));
  const relationStyle = new Map(data.relations.map((r) => [r.relation, r]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const edgesOf = new Map(data.nodes.map((n) => [n.id, []]));
  for (const edge of data.edges) {
    edgesOf.get(edge.from).push(edge);
    if (edge.to !== edge.from) edgesOf.get(edge.to).push(edge);
  }

  // One drawn line per pair and relation: its claims (the data's edges) share it, its width
  // grows with their number, and its card lists them all.  A line's id is its first claim's.
  const lines = [];
  const lineById = new Map();
  const lineOf = new Map(); // claim id -> its line
  {
    const byKey = new Map();
    for (const edge of data.edges) {
      const key = edge.from + "\u0000" + edge.to + "\u0000" + edge.relation;
      let line = byKey.get(key);
      if (!line) {
        line = { id: edge.id, from: edge.from, to: edge.to, relation: edge.relation,
          curve: edge.curve, claims: [] };
        byKey.set(key, line);
        lines.push(line);
        lineById.set(line.id, line);
      }
      line.claims.push(edge);
      lineOf.set(edge.id, line);
    }
  }
  const lineShown = new Map(lines.map((l) => [l.id, true]));
  let hoveredLine = null;
  let allEdgeLabels = false; // zoomed in far enough to label every link
  let labelNear = false; // a selected entity has few enough links to label them all
  const NEAR_LABELS = 15;

  const edgeLabel = new Map(); // a flow edge's count of moves at the slider's date
  let labelBoost = 1; // labels grow as the view zooms out, so they stay legible
  const state = {
    types: new Set(data.types.map((t) => t.type)),
    relations: new Set(data.relations.map((r) => r.relation)),
    month: null, // index into the timeline, or null for all dates
    undated: true, // show links the sources give no date for
    path: null, // a path found in the page ({nodes, edges, hops}), else the page's own
    pathEnds: null, // [from, to] of that path
    hidden: new Set(), // entities hidden by hand (Hide, Hide neighbours)
    minDegree: 0, // the degree filter: entities with fewer links are hidden
    // A focus page opens on its entity's card without greying out the rest (quiet).
    selected: meta.focus ? { kind: "node", id: meta.focus, quiet: true } : null,
  };

  // ---- small DOM helpers (text only) ----
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const $ = (id) => document.getElementById(id);
  // A text that acts like a button: Tab reaches it, Enter and Space press it.
  function actionable(node, action) {
    node.setAttribute("role", "button");
    node.tabIndex = 0;
    node.addEventListener("click", action);
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        action();
      }
    });
    return node;
  }
  // Black or white text, whichever reads better on a background (WCAG contrast).
  function luminance(hex) {
    const value = parseInt(hex.slice(1), 16);
    const linear = (shift) => {
      const c = ((value >> shift) & 255) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(16) + 0.7152 * linear(8) + 0.0722 * linear(0);
  }
  function textOn(hex) {
    const light = luminance(hex);
    return (1.05) / (light + 0.05) >= (light + 0.05) / 0.05 ? "#ffffff" : "#111827";
  }

  function darken(hex, factor) {
    const value = parseInt(hex.slice(1), 16);
    const channel = (shift) => Math.round(((value >> shift) & 255) * factor);
    return "rgb(" + channel(16) + "," + channel(8) + "," + channel(0) + ")";
  }

  // ---- how entities and links look ----
  function shortLabel(name) {
    return name.length > 34 ? name.slice(0, 33) + "…" : name;
  }
  const flowVolume = new Map();
  if (meta.view === "flow") {
    for (const edge of data.edges) {
      const moves = (edge.steps || []).reduce((sum, step) => sum + step[1], 0);
      for (const end of [edge.from, edge.to]) flowVolume.set(end, (flowVolume.get(end) || 0) + moves);
    }
  }
  function nodeSize(node) {
    if (flowVolume.has(node.id)) return Math.min(8 + 3 * Math.sqrt(flowVolume.get(node.id)), 40);
    return large ? 5 + 1.6 * Math.sqrt(node.degree) : Math.min(9 + 3 * Math.sqrt(node.degree), 32);
  }
  // Labels that do not pile up: the best-linked entities are labelled at any zoom, the rest
  // once zoomed in far enough for their label to be about 13 pixels high (or when selected
  // or on a highlighted path or neighbourhood).
  const MAJOR_LABELS = Math.max(30, Math.ceil(data.nodes.length * 0.2));
  const majorNodes = new Set(data.nodes.slice()
    .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, MAJOR_LABELS).map((n) => n.id));
  function visNode(node, mode) {
    const style = typeStyle.get(node.type);
    const dim = mode === "dim";
    const strong = mode === "selected" || mode === "emphasis";
    return {
      id: node.id,
      x: node.x,
      y: node.y,
      label: shortLabel(node.name),
      shape: style.shape,
      size: nodeSize(node) * (mode === "selected" ? 1.25 : 1),
      borderWidth: mode === "selected" ? 4 : strong ? 3 : 1.5,
      color: {
        background: dim ? DIM_NODE : style.color,
        border: dim ? DIM_BORDER : strong ? "#111827" : darken(style.color, 0.72),
        highlight: { background: style.color, border: "#111827" },
        hover: { background: style.color, border: "#111827" },
      },
      scaling: { label: { drawThreshold:
        majorNodes.has(node.id) || (mode !== "normal" && mode !== "dim") ? 5 : 13 } },
      font: {
        color: dim ? DIM_TEXT : INK,
        size: ((large ? 12 : 16) + (mode === "selected" ? 3 : 0)) * labelBoost,
        face: FONT,
        strokeWidth: dim ? 0 : 4,
        strokeColor: "#ffffff",
      },
    };
  }
  // A link with no date at all is drawn lighter and dotted: it may not hold at the slider's
  // date, and the toggle "Undated links" hides every one of them.
  function isUndated(edge) {
    return !edge.steps && !edge.start && !edge.stop;
  }
  // The words on a line: the relation, its amounts and how many claims it stands for.  A
  // flow line always shows its count of moves; others are labelled on hover, on selection
  // and when zoomed in.
  function lineLabel(line) {
    const first = line.claims[0];
    if (first.steps) return edgeLabel.has(line.id) ? edgeLabel.get(line.id) : first.label;
    const amounts = [...new Set(line.claims.map((c) => c.label).filter(Boolean))];
    let text = relationStyle.get(line.relation).label;
    if (amounts.length) text += " " + amounts.slice(0, 2).join(", ") + (amounts.length > 2 ? ", …" : "");
    if (line.claims.length > 1) text += " (" + line.claims.length + " claims)";
    return text;
  }
  function visEdge(line, mode) {
    const style = relationStyle.get(line.relation);
    const first = line.claims[0];
    const dim = mode === "dim";
    const undated = line.claims.every(isUndated);
    const color = dim ? DIM_EDGE : style.color;
    const claims = line.claims.length;
    const width = (first.width || style.width) * (1 + 0.6 * Math.log2(claims)) *
      (mode === "emphasis" ? 2.2 : 1);
    let smooth = { enabled: false };
    if (line.curve && !large) {
      smooth = { enabled: true, type: line.curve > 0 ? "curvedCW" : "curvedCCW",
        roundness: Math.abs(line.curve) };
    }
    const labelled = first.steps || (!dim && (mode === "emphasis" || allEdgeLabels ||
      (mode === "near" && labelNear) || hoveredLine === line.id));
    const item = {
      id: line.id,
      from: line.from,
      to: line.to,
      label: labelled ? lineLabel(line) : undefined,
      width: width,
      // (A dashed line costs a canvas several times a solid one: a large page draws none.)
      dashes: large ? false : undated ? [2, 5] : Array.isArray(style.dashes) ? style.dashes : false,
      color: { color: color, highlight: style.color, hover: style.color,
        opacity: mode === "normal" ? (undated ? 0.45 : 0.85) : 1 },
      smooth: smooth,
      font: { color: dim ? DIM_TEXT : INK, size: 13 * labelBoost, face: FONT,
        strokeWidth: dim ? 0 : 4,
        strokeColor: "#ffffff", align: "horizontal" },
    };
    // Arrowheads come from the network's edge options unless a relation has none (see
    // sharedArrow below).
    if (style.arrows === false) item.arrows = { to: { enabled: false } };
    return item;
  }

  const container = $("graph");
  function markReady() {
    api.readyAtMs = performance.now(); // since navigation started
    api.readyAfterMs = api.readyAtMs - started; // since this script started
    announceReady();
  }
  // body[data-ready] says the page is drawn and has all its data (see loadDetails).
  function announceReady() {
    if (api.readyAtMs !== null && api.loadedAtMs !== null) document.body.dataset.ready = "1";
  }

  // ---- what is shown: filters and the date slider ----
  const timeline = meta.timeline;
  const months = timeline ? monthsBetween(timeline.first, timeline.last) : 0;
  function monthsBetween(first, last) {
    const [y1, m1] = first.split("-").map(Number);
    const [y2, m2] = last.split("-").map(Number);
    return (y2 - y1) * 12 + (m2 - m1) + 1;
  }
  function monthAt(index) {
    const [year, month] = timeline.first.split("-").map(Number);
    const total = year * 12 + (month - 1) + index;
    return { year: Math.floor(total / 12), month: (total % 12) + 1 };
  }
  function pad(number, width) {
    return String(number).padStart(width, "0");
  }
  function monthText(index) {
    const at = monthAt(index);
    return pad(at.year, 4) + "-" + pad(at.month, 2);
  }
  // The same rule as graphkit.dates.in_effect with as_of = that month: shown when the edge
  // started by the month's last day and had not ended before its first day.
  function monthWindow(index) {
    const at = monthAt(index);
    const last = new Date(Date.UTC(at.year, at.month, 0)).getUTCDate();
    const prefix = pad(at.year, 4) + "-" + pad(at.month, 2) + "-";
    return { first: prefix + "01", last: prefix + pad(last, 2) };
  }
  function inEffect(edge, span) {
    if (!state.undated && isUndated(edge)) return false;
    if (!span) return true;
    return (!edge.start || edge.start <= span.last) && (!edge.stop || edge.stop >= span.first);
  }
  // An entity exists from its own start (a lifespan) or its earliest dated link.
  function existsAt(node, span) {
    return !span || !node.start || node.start <= span.last;
  }

  const nodeShown = new Map(data.nodes.map((n) => [n.id, true]));
  const edgeShown = new Map(data.edges.map((e) => [e.id, true]));
  // applyVisibility walks every entity, link and line at each slider step: it does so by
  // position in typed arrays (a step at 10,000 entities and 30,000 links took 35 ms over
  // the maps by id), and writes the maps above, which the rest of the page reads, only
  // where something changed.
  const nodeAt = new Map(data.nodes.map((n, index) => [n.id, index]));
  const edgeAt = new Map(data.edges.map((e, index) => [e.id, index]));
  const edgeFrom = Int32Array.from(data.edges, (e) => nodeAt.get(e.from));
  const edgeTo = Int32Array.from(data.edges, (e) => nodeAt.get(e.to));
  const edgeCurrentAt = new Uint8Array(data.edges.length).fill(1); // in effect at the date
  const edgeShownAt = new Uint8Array(data.edges.length).fill(1);
  const nodeShownAt = new Uint8Array(data.nodes.length).fill(1);
  const lineShownAt = new Uint8Array(lines.length).fill(1);
  const lineClaims = lines.map((line) => line.claims.map((claim) => edgeAt.get(claim.id)));
  // Each entity's links, by position: ownEdges[ownStart[i]] to ownEdges[ownStart[i + 1]].
  const ownStart = new Int32Array(data.nodes.length + 1);
  const ownEdges = new Int32Array(data.edges.reduce((sum, e) => sum + (e.from === e.to ? 1 : 2), 0));
  {
    let at = 0;
    data.nodes.forEach((node, index) => {
      ownStart[index] = at;
      for (const edge of edgesOf.get(node.id)) ownEdges[at++] = edgeAt.get(edge.id);
    });
    ownStart[data.nodes.length] = at;
  }
  let shownCounts = [data.nodes.length, data.edges.length];

  function applyVisibility() {
    const span = state.month === null ? null : monthWindow(state.month);
    const labelUpdates = [];
    const edges = data.edges;
    for (let i = 0; i < edges.length; i += 1) {
      const edge = edges[i];
      if (!edge.steps) {
        edgeCurrentAt[i] = inEffect(edge, span) ? 1 : 0;
        continue;
      }
      // A flow edge is recounted: the moves made by that month (undated ones always count).
      let count = 0;
      for (const [start, size] of edge.steps) {
        if (!span || !start || start <= span.last) count += size;
      }
      edgeCurrentAt[i] = count > 0 ? 1 : 0;
      const label = String(count);
      if (label !== (edgeLabel.has(edge.id) ? edgeLabel.get(edge.id) : edge.label)) {
        edgeLabel.set(edge.id, label);
        labelUpdates.push(lineOf.get(edge.id).id);
      }
    }
    if (labelUpdates.length) view.relabelled(labelUpdates);
    const nodeUpdates = [];
    let shownNodes = 0;
    const nodes = data.nodes;
    for (let i = 0; i < nodes.length; i += 1) {
      const node = nodes[i];
      let show = state.types.has(node.type) && existsAt(node, span) &&
        !state.hidden.has(node.id) && node.degree >= state.minDegree;
      if (show && ownStart[i + 1] > ownStart[i]) {
        show = false;
        for (let k = ownStart[i]; k < ownStart[i + 1]; k += 1) {
          if (edgeCurrentAt[ownEdges[k]]) {
            show = true;
            break;
          }
        }
      }
      const flag = show ? 1 : 0;
      shownNodes += flag;
      if (flag !== nodeShownAt[i]) {
        nodeShownAt[i] = flag;
        nodeShown.set(node.id, show);
        nodeUpdates.push({ id: node.id, hidden: !show });
      }
    }
    let shownEdges = 0;
    for (let i = 0; i < edges.length; i += 1) {
      const flag = edgeCurrentAt[i] && nodeShownAt[edgeFrom[i]] && nodeShownAt[edgeTo[i]] &&
        state.relations.has(edges[i].relation) ? 1 : 0;
      shownEdges += flag;
      if (flag !== edgeShownAt[i]) {
        edgeShownAt[i] = flag;
        edgeShown.set(edges[i].id, flag === 1);
      }
    }
    shownCounts = [shownNodes, shownEdges];
    const edgeUpdates = [];
    for (let i = 0; i < lines.length; i += 1) {
      const claims = lineClaims[i];
      let flag = 0;
      for (let k = 0; k < claims.length && !flag; k += 1) flag = edgeShownAt[claims[k]];
      if (flag !== lineShownAt[i]) {
        lineShownAt[i] = flag;
        lineShown.set(lines[i].id, flag === 1);
        edgeUpdates.push({ id: lines[i].id, hidden: !flag });
      }
    }
    view.shown(nodeUpdates, edgeUpdates);
    applyHighlight();
    updateStatus();
    refreshPanel();
    if (!listView.hidden) renderList();
    if (flowPage) renderSankey();
    saveView();
  }

  function updateStatus() {
    $("status").textContent = "Showing " + shownCounts[0] + " of " + data.nodes.length +
      " entities · " + shownCounts[1] + " of " + data.edges.length + " links";
  }

  // ---- highlighting: a selected entity's neighbourhood, a selected link, the path ----
  function shownPath() {
    return state.path || meta.path;
  }
  const nodeMode = new Map(data.nodes.map((n) => [n.id, "normal"]));
  const edgeMode = new Map(lines.map((l) => [l.id, "normal"]));
  const styledNodes = new Set(); // not in "normal" mode
  const styledEdges = new Set();
  // What stands out: `nodes` and `edges` (line ids), or null for nothing; `of` names what
  // made it ("node alice", "path a,b"), so a view tells a new highlight from one recomputed
  // after a filter or a slider step.
  let highlighted = { nodes: null, edges: null, of: null };

  function applyHighlight() {
    let keepNodes = null;
    let keepEdges = null;
    let strong = "normal";
    let selectedNode = null;
    let of = null;
    const selected = state.selected;
    if (selected && selected.quiet) {
      // nothing greyed out: the card is open, the view untouched
    } else if (selected && selected.kind === "node" && nodeShown.get(selected.id)) {
      selectedNode = selected.id;
      of = "node " + selected.id;
      keepNodes = new Set([selected.id]);
      keepEdges = new Set();
      for (const edge of edgesOf.get(selected.id)) {
        if (!edgeShown.get(edge.id)) continue;
        keepEdges.add(lineOf.get(edge.id).id);
        keepNodes.add(edge.from);
        keepNodes.add(edge.to);
      }
      strong = "near";
    } else if (selected && (selected.kind === "edge" || selected.kind === "line") &&
        lineShown.get(lineOf.get(selected.id).id)) {
      const line = lineOf.get(selected.id);
      of = "line " + line.id;
      keepNodes = new Set([line.from, line.to]);
      keepEdges = new Set([line.id]);
      strong = "emphasis";
    } else if (shownPath()) {
      const path = shownPath();
      of = "path " + path.nodes.join(",");
      keepNodes = new Set(path.nodes);
      keepEdges = new Set(path.edges.map((id) => lineOf.get(id).id));
      strong = "emphasis";
    }
    highlighted = { nodes: keepNodes, edges: keepEdges, of: of };
    const nearBefore = labelNear;
    labelNear = strong === "near" && keepEdges.size <= NEAR_LABELS;
    const relabel = nearBefore !== labelNear;
    // vis-network takes about 50 µs to restyle one item, seconds for a large graph, so a
    // view that dims by itself (vis-network's veil on a large graph, sigma.js's reducers)
    // is told only which items are highlighted; "dim" is for the others.
    const veiled = view.dimsByItself;
    const dimmed = veiled ? "normal" : "dim";
    const nodeUpdates = [];
    const nodeCandidates = veiled ? new Set([...styledNodes, ...(keepNodes || [])]) : nodeById.keys();
    for (const id of nodeCandidates) {
      let mode = "normal";
      if (id === selectedNode) mode = "selected";
      else if (keepNodes) mode = keepNodes.has(id) ? (strong === "near" ? "normal" : strong) : dimmed;
      if (mode !== nodeMode.get(id)) {
        nodeMode.set(id, mode);
        if (mode === "normal") styledNodes.delete(id); else styledNodes.add(id);
        nodeUpdates.push(id);
      }
    }
    const edgeUpdates = [];
    const edgeCandidates = veiled ? new Set([...styledEdges, ...(keepEdges || [])]) : lineById.keys();
    for (const id of edgeCandidates) {
      const mode = keepEdges ? (keepEdges.has(id) ? strong : dimmed) : "normal";
      if (mode !== edgeMode.get(id) || (relabel && mode === "near")) {
        edgeMode.set(id, mode);
        if (mode === "normal") styledEdges.delete(id); else styledEdges.add(id);
        edgeUpdates.push(id);
      }
    }
    view.restyled(nodeUpdates, edgeUpdates);
  }

  // ---- the views: vis-network (canvas) or sigma.js (WebGL), behind one interface ----
  // A view draws data.nodes and the lines, reads the page's state (nodeShown, lineShown,
  // nodeMode, edgeMode, highlighted) and is told what changed:
  //   shown(nodeUpdates, lineUpdates): items whose visibility flipped, as {id, hidden};
  //   relabelled(lineIds): flow lines whose counts changed;
  //   restyled(nodeIds, lineIds): items whose mode changed (`highlighted` may have too);
  //   select(id), unselect(); focus(id, offset): an entity to the middle of the view plus
  //   offset (pixels); fit(covered): what is shown into the width left of `covered` pixels
  //   on the right; toScreen(ids): positions in pixels; nodeRadius(id): in pixels;
  //   picture(): a canvas of the view on white; redraw(); nextDraw(): a promise of the next
  //   frame drawn; settled(): a promise of the moment it draws the state in full (no camera
  //   move or quick highlight under way); drawn(): [entities, lines] it draws.
  // A view reports clicks and hovers through select, selectLine, clearSelection and
  // hoverLine, and calls markReady() once it has drawn the page's first frame.
  function visView() {
    const nodes = new vis.DataSet(data.nodes.map((n) => visNode(n, "normal")));
    const edges = new vis.DataSet(lines.map((l) => visEdge(l, "normal")));
    const network = new vis.Network(container, { nodes: nodes, edges: edges }, {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false, randomSeed: 1 },
      interaction: {
        hover: !large,
        hideEdgesOnDrag: large,
        hideEdgesOnZoom: large,
        tooltipDelay: 200,
        selectConnectedEdges: false,
        zoomSpeed: 0.7,
        keyboard: false,
      },
      nodes: { chosen: false },
      edges: { chosen: false, arrowStrikethrough: false, selectionWidth: 0, hoverWidth: 0.5,
        arrows: { to: { enabled: true, scaleFactor: large ? 0.55 : 0.9 } } },
    });
    network.once("afterDrawing", markReady);

    // Draws over the finished frame: a translucent veil, then the highlighted links and
    // entities again on top of it (vis-network's own per-item draw methods).
    const veilSupported = Boolean(network.body && network.body.nodes && network.body.edges);
    function drawVeil(ctx) {
      if (!large || !veilSupported || !highlighted.nodes) return;
      const canvas = container.querySelector("canvas");
      const topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
      const bottomRight = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
      ctx.save();
      ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
      ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
      ctx.restore();
      const body = network.body;
      const drawnEdges = [];
      for (const id of highlighted.edges) {
        const edge = body.edges[id];
        if (!edge || !edge.connected || !lineShown.get(id)) continue;
        edge.draw(ctx);
        drawnEdges.push(edge);
      }
      for (const edge of drawnEdges) edge.drawArrows(ctx);
      const labels = [];
      for (const id of highlighted.nodes) {
        const node = body.nodes[id];
        if (!node || !nodeShown.get(id)) continue;
        const drawn = node.draw(ctx);
        if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
      }
      for (const draw of labels) draw();
    }
    network.on("afterDrawing", drawVeil);

    // Zoomed out on a large graph an arrowhead is smaller than a pixel, yet drawing them all
    // costs a third of a frame.  Links that do not set their own arrows inherit the network's
    // edge options (vis-network bridges them by prototype), so flipping that one flag before
    // each frame hides or shows every arrowhead at no cost.
    const sharedArrow = large && network.edgesHandler && network.edgesHandler.options &&
      network.edgesHandler.options.arrows ? network.edgesHandler.options.arrows.to : null;
    if (sharedArrow) {
      network.on("beforeDrawing", () => {
        sharedArrow.enabled = network.getScale() >= ARROW_MIN_SCALE;
      });
    }

    network.on("click", (params) => {
      if (params.nodes.length) select(params.nodes[0], false);
      else if (params.edges.length) selectLine(params.edges[0]);
      else clearSelection();
    });
    network.on("hoverEdge", (params) => hoverLine(params.edge));
    network.on("blurEdge", () => hoverLine(null));

    // Keep labels at least about 10 screen pixels high when zoomed out (up to twice their
    // size).  Restyling costs too much on a large graph, whose labels simply hide instead.
    // Zoomed in (at 1.4× or more), every link is labelled with its relation.
    function boostLabels() {
      const wanted = Math.min(2, Math.max(1, 10 / (16 * network.getScale())));
      const boost = Math.round(wanted * 10) / 10;
      const allLabels = network.getScale() >= 1.4;
      if (boost !== labelBoost) {
        labelBoost = boost;
        nodes.update(data.nodes.map((node) => visNode(node, nodeMode.get(node.id))));
      } else if (allLabels === allEdgeLabels) {
        return;
      }
      allEdgeLabels = allLabels;
      edges.update(lines.map((line) => visEdge(line, edgeMode.get(line.id))));
    }
    if (!large) {
      let boosting = false;
      const onZoom = () => {
        if (boosting) return;
        boosting = true;
        requestAnimationFrame(() => {
          boosting = false;
          boostLabels();
        });
      };
      network.on("zoom", onZoom);
      network.on("animationFinished", onZoom);
    }

    const dimsByItself = large && veilSupported;
    let movingUntil = 0; // the view moves to an entity (focus) until then
    return {
      name: "vis",
      network: network,
      nodes: nodes,
      edges: edges,
      dimsByItself: dimsByItself,
      boostLabels: large ? null : boostLabels,
      shown(nodeUpdates, lineUpdates) {
        if (nodeUpdates.length) nodes.update(nodeUpdates);
        if (lineUpdates.length) edges.update(lineUpdates);
      },
      relabelled(ids) {
        edges.update(ids.map((id) => ({ id: id, label: lineLabel(lineById.get(id)) })));
      },
      restyled(nodeIds, lineIds) {
        if (nodeIds.length) nodes.update(nodeIds.map((id) => visNode(nodeById.get(id), nodeMode.get(id))));
        if (lineIds.length) edges.update(lineIds.map((id) => visEdge(lineById.get(id), edgeMode.get(id))));
        // Before the first drawing vis-network draws on its own at the next frame.
        if (dimsByItself && api.readyAtMs !== null) network.redraw();
      },
      select(id) {
        network.selectNodes([id], false);
      },
      unselect() {
        network.unselectAll();
      },
      focus(id, offset) {
        movingUntil = performance.now() + FOCUS_MS;
        network.focus(id, { scale: Math.max(network.getScale(), large ? 0.9 : 0.85), offset: offset,
          animation: { duration: FOCUS_MS, easingFunction: "easeInOutQuad" } });
      },
      fit(covered) {
        movingUntil = 0;
        network.fit({ animation: false });
        const width = container.clientWidth;
        if (covered <= 0 || width <= covered) return;
        const scale = network.getScale() * (width - covered) / width;
        const centre = network.getViewPosition();
        network.moveTo({ scale: scale, position: { x: centre.x + covered / 2 / scale, y: centre.y } });
      },
      toScreen(ids) {
        const at = network.getPositions(ids);
        const screen = {};
        for (const id of ids) screen[id] = network.canvasToDOM(at[id]);
        return screen;
      },
      nodeRadius(id) {
        return nodeSize(nodeById.get(id)) * network.getScale();
      },
      picture() {
        return onWhite([container.querySelector("canvas")]);
      },
      redraw() {
        network.redraw();
      },
      nextDraw() {
        return new Promise((resolve) => network.once("afterDrawing", resolve));
      },
      settled() {
        return new Promise((resolve) => {
          const check = () => (performance.now() < movingUntil ? requestAnimationFrame(check) : resolve());
          check();
        });
      },
      drawn() {
        return [network.body.nodeIndices.length, network.body.edgeIndices.length];
      },
    };
  }

  // The canvases of a view, in order, copied onto one white canvas.
  function onWhite(canvases) {
    const copy = document.createElement("canvas");
    copy.width = canvases[0].width;
    copy.height = canvases[0].height;
    const ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    for (const canvas of canvases) ctx.drawImage(canvas, 0, 0, copy.width, copy.height);
    return copy;
  }

  // sigma.js draws a graphology graph of the entities and lines with their base looks.
  // What is shown, dimmed or emphasised is never written into that graph: sigma's reducers
  // read it from the page's state at each refresh, so a filter, a slider step or a selection
  // costs one refresh of the whole drawing (0.05-0.3 s at 10,000 entities and 30,000 links
  // on a loaded 2-core machine) instead of an update per item.  Entities are discs (sigma's core has no other shapes),
  // links straight, undated ones lighter and thinner (it has no dashes).
  const WEBGL_NEAR_LABELS = 40; // a neighbourhood this small has all its entities labelled
  const WEBGL_LINK_LABELS_RATIO = 0.2; // zoomed in this far, links between labels are named
  const WEBGL_ARROWS_RATIO = 0.5; // and on a large graph, this far, links have arrowheads
  const GRID_DELAY_MS = 300; // entities appeared or went: labels re-sorted once changes stop
  // sigma.js draws entities and links as instances of one small shape (a triangle round a
  // disc, a rectangle).  Without a GPU (SwiftShader), an instanced draw costs about as much
  // per item as a draw call would: at 10,000 entities and 30,000 links a frame took 1.0-1.4 s
  // to show.  flat() makes the same program draw every item's vertices in one plain draw
  // (its per-vertex constants written out for each item): the same pixels, 0.1-0.2 s.
  function flat(Program) {
    return class extends Program {
      getDefinition() {
        const definition = super.getDefinition();
        if (!definition.CONSTANT_ATTRIBUTES) return definition;
        const plain = Object.assign({}, definition,
          { ATTRIBUTES: definition.ATTRIBUTES.concat(definition.CONSTANT_ATTRIBUTES) });
        delete plain.CONSTANT_ATTRIBUTES;
        delete plain.CONSTANT_DATA;
        return plain;
      }
      processVisibleItem(index, start, ...rest) {
        if (!this.perVertex) {
          const definition = super.getDefinition();
          this.perVertex = {
            own: Sigma.rendering.getAttributesItemsCount(definition.ATTRIBUTES),
            constants: definition.CONSTANT_DATA || null,
          };
        }
        super.processVisibleItem(index, start, ...rest);
        const { own, constants } = this.perVertex;
        if (!constants) return;
        const array = this.array;
        const stride = this.ATTRIBUTES_ITEMS_COUNT;
        for (let vertex = 0; vertex < constants.length; vertex += 1) {
          const at = start + vertex * stride;
          if (vertex > 0) array.copyWithin(at, start, start + own);
          const values = constants[vertex];
          for (let k = 0; k < values.length; k += 1) array[at + own + k] = values[k];
        }
      }
    };
  }
  function sigmaView() {
    const graph = new graphology.MultiDirectedGraph();
    for (const node of data.nodes) {
      graph.addNode(node.id, { x: node.x, y: -node.y, size: 2 + 1.2 * Math.sqrt(node.degree),
        color: typeStyle.get(node.type).color, label: shortLabel(node.name) });
    }
    for (const line of lines) {
      const style = relationStyle.get(line.relation);
      const undated = line.claims.every(isUndated);
      const width = (line.claims[0].width || style.width) * (1 + 0.6 * Math.log2(line.claims.length));
      graph.addDirectedEdgeWithKey(line.id, line.from, line.to, {
        color: undated ? lighten(style.color, 0.45) : style.color,
        size: undated ? Math.max(0.5, width * 0.6) : width,
        type: style.arrows === false || line.from === line.to ? "line" : "arrow",
        label: lineLabel(line),
      });
    }
    let linkLabels = false; // zoomed in far enough to name links
    // Zoomed out on a large graph a link is a pixel or two wide and an arrowhead a pixel or
    // two long, yet without a GPU every link's two triangles (and its arrowhead's one) cost
    // most of a frame: links are then hairlines (one line each, 2 vertices instead of 6; a
    // frame at 10,000 entities and 30,000 links shows in 70-90 ms instead of 105-130 ms),
    // and their widths and arrowheads come with zooming in (and on highlighted links).
    let arrowheads = !large;
    const renderer = new Sigma(graph, container, {
      zIndex: true,
      renderEdgeLabels: true,
      nodeProgramClasses: { circle: flat(Sigma.rendering.NodeCircleProgram) },
      edgeProgramClasses: {
        line: flat(Sigma.rendering.EdgeRectangleProgram),
        hair: Sigma.rendering.EdgeLineProgram,
        arrow: Sigma.rendering.createEdgeCompoundProgram([flat(Sigma.rendering.EdgeClampedProgram),
          flat(Sigma.rendering.EdgeArrowHeadProgram)]),
      },
      // Without a GPU (SwiftShader) the cost of a frame follows the number of items drawn,
      // and picking links (for clicks and hovers) draws every link twice: a large page
      // leaves it out (its links' cards are reached from its entities' cards).
      enableEdgeEvents: !large,
      enableCameraRotation: false,
      hideEdgesOnMove: true,
      minEdgeThickness: 0.6,
      labelFont: FONT,
      labelSize: 12,
      labelColor: { color: INK },
      labelRenderedSizeThreshold: 0, // sigma's label grid keeps labels apart
      // The entities sigma draws on its top layer (the hovered one, and the highlighted:
      // the selected one, or a whole neighbourhood above the veil, see showQuick): a framed
      // name for the hovered and the selected, the name alone for the others it labels.
      defaultDrawNodeHover: (context, look, settings) => {
        if (look.highlighted || look.key === renderer.hoveredNode) {
          Sigma.rendering.drawDiscNodeHover(context, look, settings);
        } else if (look.forceLabel) {
          Sigma.rendering.drawDiscNodeLabel(context, look, settings);
        }
      },
      edgeLabelFont: FONT,
      edgeLabelSize: 11,
      edgeLabelColor: { color: INK },
      // (A reducer's look is sigma's own copy of the item's attributes.)
      nodeReducer: (id, look) => {
        const keep = highlighted.nodes;
        if (!nodeShown.get(id)) {
          look.hidden = true;
          return look;
        }
        if (!keep) return look;
        if (!keep.has(id)) {
          // WebGL draws every link under every entity: greyed-out entities shrink to dots,
          // so that they do not cover the highlighted links.
          look.color = DIM_NODE;
          look.size = Math.min(look.size * 0.3, 2);
          look.label = null;
          look.zIndex = 0;
          return look;
        }
        const mode = nodeMode.get(id);
        look.zIndex = 2;
        look.forceLabel = mode !== "normal" || keep.size <= WEBGL_NEAR_LABELS;
        if (mode === "selected") {
          look.size *= 1.4;
          look.highlighted = true;
        }
        return look;
      },
      edgeReducer: (id, look) => {
        const keep = highlighted.edges;
        if (!arrowheads && !(keep && keep.has(id))) look.type = "hair";
        // Links a highlight leaves out are not drawn: at 10k, greyed out, they hid the
        // highlighted ones on screen (30,000 links, 2-6 px wide once zoomed in); the
        // greyed-out entities still show where the rest is.
        if (!lineShown.get(id) || (keep && !keep.has(id))) {
          look.hidden = true;
          return look;
        }
        const mode = edgeMode.get(id);
        if (keep) look.zIndex = 1;
        if (mode === "emphasis") look.size *= 2.2;
        look.forceLabel = mode === "emphasis" || (mode === "near" && labelNear) || hoveredLine === id;
        if (!look.forceLabel && !linkLabels) look.label = null;
        return look;
      },
    });
    // (The constructor drew the graph before this listener: it is ready once drawn again, in
    // the next frame, whatever the page changes before then.)
    renderer.once("afterRender", markReady);
    renderer.scheduleRender();
    renderer.on("clickNode", (event) => select(event.node, false));
    renderer.on("clickEdge", (event) => selectLine(event.edge));
    renderer.on("clickStage", () => clearSelection());
    renderer.on("enterEdge", (event) => hoverLine(event.edge));
    renderer.on("leaveEdge", () => hoverLine(null));
    // A change refreshes only the items whose look it changed: sigma runs the reducers for
    // those alone and writes them in place (a slider step at 10,000 entities and 30,000 links
    // changes a few hundred).  A highlight coming or going changes every item: a whole
    // refresh (after a quick one, below).  Items written in place keep their place in sigma's
    // label grid and drawing order: when entities appeared or went, or joined or left the
    // highlight (drawn on top), sigma re-indexes once the changes have stopped for a moment.
    const changedNodes = new Set();
    const changedLines = new Set();
    let drawnHighlight = highlighted; // what the last refresh drew
    let gridStale = false;
    let gridTimer = null;
    function difference(before, after, into) {
      for (const id of before) if (!after.has(id)) into.add(id);
      for (const id of after) if (!before.has(id)) into.add(id);
    }
    // A new highlight (an entity selected, a path found) costs a whole refresh before it
    // shows: sigma re-runs its reducers over every item and rebuilds every buffer, 0.1-0.2 s
    // at 10,000 entities and 30,000 links, and then the frame.  It is shown at once instead
    // (quick): a veil over the drawing, and the highlighted entities, named, on sigma's top
    // layer above it (a few ms).  Once that frame is shown, and the camera has moved to the
    // selection (sigma draws no links while it moves), sigma draws the highlight itself and
    // the veil comes off (settle).  Any other change meanwhile settles at once.
    const veil = document.createElement("div");
    veil.className = "sigma-veil";
    veil.hidden = true;
    renderer.getCanvases().hovers.before(veil);
    let quick = false; // a highlight shown above the veil, not yet drawn by sigma
    let quickFrame = null; // waiting for the frame that shows it
    let pendingMove = null; // the camera state to move to once it is shown
    let shownOf = null; // what the highlight on screen is of (quick or drawn)
    const drawWaiters = [];
    function drawnNow() {
      for (const resolve of drawWaiters.splice(0)) resolve();
    }
    renderer.on("afterRender", drawnNow);
    function showQuick() {
      quick = true;
      shownOf = highlighted.of;
      const top = renderer.highlightedNodes;
      top.clear();
      for (const id of highlighted.nodes) {
        if (!nodeShown.get(id)) continue;
        renderer.updateNode(id); // its look in the new highlight (the buffers keep the old)
        top.add(id);
      }
      veil.hidden = false;
      renderer.renderHighlightedNodes();
      drawnNow();
      if (quickFrame === null) {
        quickFrame = requestAnimationFrame(() => { quickFrame = requestAnimationFrame(afterQuick); });
      }
    }
    function afterQuick() {
      quickFrame = null;
      const move = pendingMove;
      pendingMove = null;
      if (move) moveTo(move);
      else settle();
    }
    function settle() {
      if (!quick) return;
      quick = false;
      drawnHighlight = highlighted;
      changedNodes.clear();
      changedLines.clear();
      gridStale = false;
      renderer.once("afterRender", () => { if (!quick) veil.hidden = true; });
      renderer.scheduleRefresh();
    }
    function moveTo(target) {
      // sigma draws no links while the camera moves: draw once more when it has stopped.
      camera.animate(target, { duration: FOCUS_MS }).then(() => {
        if (quick) settle();
        else renderer.scheduleRender();
      });
    }
    function refreshChanged() {
      const after = highlighted;
      if (after.nodes && after.of !== shownOf && api.readyAtMs !== null) {
        showQuick();
        return;
      }
      shownOf = after.of;
      if (quick) {
        settle();
        return;
      }
      const before = drawnHighlight;
      drawnHighlight = after;
      if ((before.nodes === null) !== (after.nodes === null) ||
          (before.edges === null) !== (after.edges === null)) {
        changedNodes.clear();
        changedLines.clear();
        gridStale = false;
        renderer.scheduleRefresh();
        return;
      }
      // Items joining or leaving the highlight are drawn in their old order (on top or not)
      // until sigma re-sorts everything once the changes stop; but a link that changes
      // program (a hairline that becomes a highlighted arrow) needs it at once.
      let reindex = false;
      if (after.nodes && before.nodes !== after.nodes) {
        const size = changedNodes.size;
        difference(before.nodes, after.nodes, changedNodes);
        if ((before.nodes.size <= WEBGL_NEAR_LABELS) !== (after.nodes.size <= WEBGL_NEAR_LABELS)) {
          for (const id of after.nodes) changedNodes.add(id);
        }
        if (changedNodes.size > size) gridStale = true;
      }
      if (after.edges && before.edges !== after.edges) {
        const size = changedLines.size;
        difference(before.edges, after.edges, changedLines);
        if (changedLines.size > size) {
          if (arrowheads) gridStale = true;
          else reindex = true;
        }
      }
      if (!changedNodes.size && !changedLines.size) return;
      // (A whole refresh still to be drawn, e.g. for a zoom or a resize, has dropped sigma's
      // places of items until it is drawn: then these are placed with the rest.)
      if (renderer.needToProcess) reindex = true;
      renderer.refresh({ partialGraph: { nodes: Array.from(changedNodes), edges: Array.from(changedLines) },
        skipIndexation: !reindex, schedule: true });
      changedNodes.clear();
      changedLines.clear();
      if (reindex) gridStale = false;
      if (gridStale) {
        clearTimeout(gridTimer);
        gridTimer = setTimeout(() => {
          if (!gridStale) return;
          gridStale = false;
          renderer.refresh({ partialGraph: {}, skipIndexation: false, schedule: true });
        }, GRID_DELAY_MS);
      }
    }
    const camera = renderer.getCamera();
    camera.on("updated", (at) => {
      const labels = at.ratio <= WEBGL_LINK_LABELS_RATIO;
      const arrows = !large || at.ratio <= WEBGL_ARROWS_RATIO;
      if (labels !== linkLabels || arrows !== arrowheads) {
        linkLabels = labels;
        arrowheads = arrows;
        if (!quick) renderer.scheduleRefresh(); // (else settling refreshes everything)
      }
    });

    // Conversions between the graph, sigma's framed coordinates and the screen for a given
    // camera.  They pass the graph's extent (as sigma measures it: the entities never move)
    // rather than let sigma read its own, which a whole refresh forgets until it is drawn.
    const graphDimensions = (() => {
      let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const node of data.nodes) {
        left = Math.min(left, node.x);
        right = Math.max(right, node.x);
        top = Math.min(top, -node.y);
        bottom = Math.max(bottom, -node.y);
      }
      return { width: right - left || 1, height: bottom - top || 1 };
    })();
    function seenBy(cameraState) {
      return { cameraState: cameraState, graphDimensions: graphDimensions };
    }
    // Where an entity is on screen for the camera as it is now (sigma's own conversions
    // without a camera use the last frame drawn, which lags a camera move).
    function onScreen(id) {
      const node = nodeById.get(id);
      return renderer.graphToViewport({ x: node.x, y: -node.y }, seenBy(camera.getState()));
    }
    // An entity's place in sigma's framed (normalised) coordinates.  (Its display data has
    // them only once a refresh has been drawn.)
    function framed(id) {
      return renderer.viewportToFramedGraph(onScreen(id), seenBy(camera.getState()));
    }
    // The camera that shows framed point `at` `offset` pixels from the middle of the view,
    // at zoom `ratio`.
    function cameraFor(at, ratio, offset) {
      const { width, height } = renderer.getDimensions();
      const centred = { x: at.x, y: at.y, ratio: ratio, angle: 0 };
      const centre = renderer.viewportToFramedGraph({ x: width / 2 - offset.x, y: height / 2 - offset.y },
        seenBy(centred));
      return { x: centre.x, y: centre.y, ratio: ratio, angle: 0 };
    }
    // The camera that fits what is shown into the width left of `covered` pixels.
    function framing(covered) {
      let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const node of data.nodes) {
        if (!nodeShown.get(node.id)) continue;
        const at = framed(node.id);
        left = Math.min(left, at.x);
        right = Math.max(right, at.x);
        top = Math.min(top, at.y);
        bottom = Math.max(bottom, at.y);
      }
      if (left === Infinity) return { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
      // Pixels per framed unit at ratio 1, measured rather than derived from sigma's
      // framing rules.
      const unit = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
      const a = renderer.framedGraphToViewport({ x: 0, y: 0 }, seenBy(unit));
      const b = renderer.framedGraphToViewport({ x: 1, y: 1 }, seenBy(unit));
      const { width, height } = renderer.getDimensions();
      const free = covered > 0 && covered < width ? width - covered : width;
      const ratio = Math.max((right - left) * Math.abs(b.x - a.x) / (free - 40),
        (bottom - top) * Math.abs(b.y - a.y) / (height - 40), 0.002);
      const middle = { x: (left + right) / 2, y: (top + bottom) / 2 };
      return cameraFor(middle, ratio, { x: -(width - free) / 2, y: 0 });
    }
    return {
      name: "webgl",
      sigma: renderer,
      graph: graph,
      dimsByItself: true,
      boostLabels: null,
      shown(nodeUpdates, lineUpdates) {
        for (const update of nodeUpdates) changedNodes.add(update.id);
        for (const update of lineUpdates) changedLines.add(update.id);
        if (nodeUpdates.length) gridStale = true;
        refreshChanged();
      },
      relabelled(ids) {
        for (const id of ids) graph.setEdgeAttribute(id, "label", lineLabel(lineById.get(id)));
      },
      restyled(nodeIds, lineIds) {
        for (const id of nodeIds) changedNodes.add(id);
        for (const id of lineIds) changedLines.add(id);
        refreshChanged();
      },
      select() {},
      unselect() {},
      focus(id, offset) {
        const target = cameraFor(framed(id), Math.min(camera.ratio, large ? 0.15 : 0.5), offset);
        // A quick highlight is shown first, then the camera moves to it.
        if (quickFrame !== null) pendingMove = target;
        else moveTo(target);
      },
      fit(covered) {
        // A move still under way (to a selected entity) would carry on past this fit: stop
        // it (sigma's camera has no public call for that; its next frame is nextFrame).
        pendingMove = null;
        if (camera.isAnimated()) {
          cancelAnimationFrame(camera.nextFrame);
          camera.nextFrame = null;
        }
        camera.setState(framing(covered));
        settle();
      },
      toScreen(ids) {
        const screen = {};
        for (const id of ids) screen[id] = onScreen(id);
        return screen;
      },
      nodeRadius(id) {
        return renderer.scaleSize(renderer.getNodeDisplayData(id).size);
      },
      picture() {
        settle();
        renderer.refresh(); // WebGL canvases keep their pixels only until the frame is shown
        const layers = renderer.getCanvases();
        return onWhite(["edges", "edgeLabels", "nodes", "labels", "hovers", "hoverNodes"]
          .filter((name) => layers[name]).map((name) => layers[name]));
      },
      redraw() {
        if (quick) {
          renderer.renderHighlightedNodes(); // the drawing under the veil is as it was
          drawnNow();
        } else {
          renderer.scheduleRender();
        }
      },
      nextDraw() {
        return new Promise((resolve) => drawWaiters.push(resolve));
      },
      settled() {
        return new Promise((resolve) => {
          const check = () => {
            if (quick || quickFrame !== null || camera.isAnimated() || renderer.renderFrame) {
              requestAnimationFrame(check);
            } else {
              resolve();
            }
          };
          check();
        });
      },
      drawn() {
        let shownNodes = 0;
        let shownLines = 0;
        graph.forEachNode((id) => { if (!renderer.getNodeDisplayData(id).hidden) shownNodes += 1; });
        graph.forEachEdge((id) => { if (!renderer.getEdgeDisplayData(id).hidden) shownLines += 1; });
        return [shownNodes, shownLines];
      },
    };
  }
  // A colour mixed with white: `share` of white.
  function lighten(hex, share) {
    const value = parseInt(hex.slice(1), 16);
    const channel = (shift) => Math.round(((value >> shift) & 255) * (1 - share) + 255 * share);
    return "rgb(" + channel(16) + "," + channel(8) + "," + channel(0) + ")";
  }

  // A large page is drawn in WebGL when the browser has it; else (or on a small page) by
  // vis-network, which the page always carries.
  function makeView() {
    if (meta.webgl && typeof Sigma === "function" && typeof graphology === "function") {
      try {
        return sigmaView();
      } catch (error) {
        container.replaceChildren(); // no WebGL here: what sigma.js left, then vis-network
      }
    }
    const credits = $("credits-vis");
    if (credits) {
      credits.hidden = false;
      $("credits-webgl").hidden = true;
    }
    return visView();
  }
  const view = makeView();

  // ---- the card panel ----
  const panel = $("panel");
  const panelBody = $("panel-body");

  let lastFocus = null; // what had the focus when a card opened, to return to on Escape
  function rememberFocus() {
    const active = document.activeElement;
    if (!panel.contains(active)) lastFocus = active;
  }

  function refreshPanel() {
    const selected = state.selected;
    if (!selected) {
      panel.hidden = true;
      panelBody.replaceChildren();
    } else if (selected.kind === "node") {
      showEntity(selected.id);
    } else if (selected.kind === "line") {
      showLine(selected.id);
    } else {
      showEdge(selected.id);
    }
    saveView();
  }

  function entityLink(id) {
    const node = nodeById.get(id);
    if (!node) return el("span", null, id);
    return actionable(el("span", "link", node.name), () => select(id));
  }

  function badge(text, color) {
    const span = el("span", "card-type", text);
    span.style.background = color;
    span.style.color = textOn(color);
    return span;
  }

  function sourcesList(edge) {
    const list = el("ul", "sources");
    for (const cited of edge.sources || []) {
      const item = el("li");
      item.append(el("span", "quote", "“" + cited.quote + "”"));
      item.append(el("span", "cite", citation(cited)));
      list.append(item);
    }
    return list;
  }

  // A source as title, outlet and date (the file name only when the document has no title),
  // and whom the article credits.
  function citation(cited) {
    const doc = data.documents[cited.doc] || {};
    // "[no headline in text] A description" reads as the description.
    const title = (doc.title || "").replace(/^\[[^\]]*\]\s*/, "") || null;
    const parts = [...new Set([title, doc.outlet, doc.published].filter(Boolean))];
    if (!title) parts.push(cited.doc);
    let text = "— " + parts.join(" · ");
    if (cited.attributed_to) text += " (attributed to " + cited.attributed_to + ")";
    return text;
  }
  function hedgeBadge(hedge) {
    const mark = el("span", "hedge", hedge);
    mark.title = "Hedged in the source: " + hedge;
    return mark;
  }

  // Figures as a small chart over time, one line per metric, each point cited below it.
  function figureChart(figures) {
    const box = el("div", "figures");
    const metrics = new Map();
    for (const figure of figures) {
      if (!metrics.has(figure.metric)) metrics.set(figure.metric, []);
      metrics.get(figure.metric).push(figure);
    }
    for (const [metric, points] of metrics) {
      box.append(el("h3", "figure-metric", metric.replace(/-/g, " ") +
        (points[0].unit ? " (" + points[0].unit + ")" : "")));
      const dated = points.filter((p) => p.day);
      if (dated.length >= 1) box.append(sparkline(dated));
      const list = el("ol", "figure-points");
      for (const point of points) {
        const item = el("li");
        item.dataset.figure = point.id;
        const head = el("div", "figure-head");
        head.append(el("b", null, point.date || "undated"), document.createTextNode(" " + point.text));
        if (point.hedge) head.append(document.createTextNode(" "), hedgeBadge(point.hedge));
        item.append(head);
        for (const cited of point.sources) {
          item.append(el("span", "quote", "“" + cited.quote + "”"), el("span", "cite", citation(cited)));
        }
        list.append(item);
      }
      box.append(list);
    }
    return box;
  }
  function sparkline(points) {
    const width = 320;
    const height = 110;
    const pad = { left: 44, right: 10, top: 10, bottom: 22 };
    const root = svg(width, height);
    root.setAttribute("class", "chart");
    root.setAttribute("role", "img");
    root.removeAttribute("aria-hidden");
    const times = points.map((p) => Date.parse(p.day));
    const values = points.map((p) => p.value);
    const [t0, t1] = [Math.min(...times), Math.max(...times)];
    const [v0, v1] = [Math.min(0, ...values), Math.max(...values)];
    const x = (t) => pad.left + (t1 === t0 ? (width - pad.left - pad.right) / 2
      : (t - t0) / (t1 - t0) * (width - pad.left - pad.right));
    const y = (v) => height - pad.bottom - (v1 === v0 ? 0.5 : (v - v0) / (v1 - v0)) *
      (height - pad.top - pad.bottom);
    const add = (tag, attributes, text) => {
      const node = document.createElementNS(SVG, tag);
      for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
      if (text !== undefined) node.textContent = text;
      root.append(node);
      return node;
    };
    add("title", {}, points.length + " values from " + points[0].date + " to " +
      points[points.length - 1].date);
    add("line", { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right,
      y2: height - pad.bottom, stroke: "#5b6673" });
    add("text", { x: pad.left - 4, y: pad.top + 4, "text-anchor": "end", "font-size": 10,
      fill: "#5b6673" }, shortNumber(v1));
    add("text", { x: pad.left - 4, y: height - pad.bottom, "text-anchor": "end", "font-size": 10,
      fill: "#5b6673" }, shortNumber(v0));
    add("text", { x: pad.left, y: height - 6, "font-size": 10, fill: "#5b6673" }, points[0].date);
    if (t1 !== t0) {
      add("text", { x: width - pad.right, y: height - 6, "text-anchor": "end", "font-size": 10,
        fill: "#5b6673" }, points[points.length - 1].date);
    }
    add("polyline", { fill: "none", stroke: "#0072b2", "stroke-width": 1.5,
      points: points.map((p, i) => x(times[i]).toFixed(1) + "," + y(p.value).toFixed(1)).join(" ") });
    points.forEach((point, index) => {
      const dot = add("circle", { cx: x(times[index]).toFixed(1), cy: y(point.value).toFixed(1),
        r: 4, fill: point.hedge ? "#ffffff" : "#0072b2", stroke: "#0072b2", "stroke-width": 1.5 });
      dot.dataset.figure = point.id;
      const label = document.createElementNS(SVG, "title");
      label.textContent = point.date + ": " + point.text + (point.hedge ? " [" + point.hedge + "]" : "");
      dot.append(label);
    });
    return root;
  }
  function shortNumber(value) {
    const abs = Math.abs(value);
    for (const [size, suffix] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]]) {
      if (abs >= size) return (value / size).toFixed(abs / size >= 100 ? 0 : 1).replace(/\.0$/, "") + suffix;
    }
    return String(value);
  }

  // An entity's links grouped by relation, each group collapsed beyond a few items, and a
  // box that filters them by any word of their sentences or quotes.
  const GROUP_OPEN = 4;
  function linkGroups(own) {
    const box = el("div", "link-groups");
    if (own.length > GROUP_OPEN) {
      const filter = document.createElement("input");
      filter.type = "search";
      filter.className = "card-filter";
      filter.placeholder = "Filter these " + own.length + " links";
      filter.setAttribute("aria-label", "Filter this card's links");
      filter.addEventListener("input", () => {
        const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        box.querySelectorAll(".edge-item").forEach((item) => {
          const text = item.textContent.toLowerCase();
          item.hidden = !words.every((word) => text.includes(word));
        });
        box.querySelectorAll("details").forEach((group) => {
          if (words.length) group.open = true;
          group.querySelectorAll(".more").forEach((more) => { more.hidden = Boolean(words.length); });
          group.querySelectorAll(".edge-item.extra").forEach((item) => {
            if (!words.length) item.hidden = !group.classList.contains("expanded");
          });
        });
      });
      box.append(filter);
    }
    const byRelation = new Map();
    for (const edge of own) {
      if (!byRelation.has(edge.relation)) byRelation.set(edge.relation, []);
      byRelation.get(edge.relation).push(edge);
    }
    const order = data.relations.map((r) => r.relation);
    for (const relation of [...byRelation.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
      const edgesHere = byRelation.get(relation);
      const style = relationStyle.get(relation);
      const group = document.createElement("details");
      group.open = true;
      group.className = "link-group";
      const summary = el("summary");
      const swatch = el("span", "edge-swatch");
      swatch.style.background = style.color;
      summary.append(swatch, el("span", null, style.label + " (" + edgesHere.length + ")"));
      group.append(summary);
      edgesHere.forEach((edge, index) => {
        const item = edgeItem(edge);
        if (index >= GROUP_OPEN) {
          item.classList.add("extra");
          item.hidden = true;
        }
        group.append(item);
      });
      if (edgesHere.length > GROUP_OPEN) {
        const more = el("button", "more", "Show all " + edgesHere.length);
        more.type = "button";
        more.addEventListener("click", () => {
          group.classList.add("expanded");
          group.querySelectorAll(".edge-item.extra").forEach((item) => { item.hidden = false; });
          more.hidden = true;
        });
        group.append(more);
      }
      box.append(group);
    }
    return box;
  }

  function edgeItem(edge) {
    const item = el("div", "edge-item");
    if (!edgeShown.get(edge.id)) item.classList.add("inactive");
    const head = el("div", "edge-head");
    const swatch = el("span", "edge-swatch");
    swatch.style.background = relationStyle.get(edge.relation).color;
    const text = actionable(el("span", "edge-text link", edge.text), () => selectEdge(edge.id));
    head.append(swatch, text);
    if (edge.hedge) head.append(hedgeBadge(edge.hedge));
    item.append(head);
    if (edge.people && edge.people.length) {
      item.append(el("div", "note", "People: " + edge.people.join(", ")));
    }
    item.append(sourcesList(edge));
    if (edge.note) item.append(el("div", "note", edge.note));
    return item;
  }

  function edgeOrder(a, b) {
    const dateA = a.start || "9999";
    const dateB = b.start || "9999";
    if (dateA !== dateB) return dateA < dateB ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  function showEntity(id) {
    const node = nodeById.get(id);
    const style = typeStyle.get(node.type);
    const parts = [badge(style.label, style.color), el("h2", "card-name", node.name),
      el("div", "card-id", node.id)];
    if (node.aliases && node.aliases.length) {
      const aliases = el("div", "card-aliases");
      for (const alias of node.aliases) aliases.append(el("span", null, alias));
      parts.push(aliases);
    }
    if (node.description) parts.push(el("p", "card-description", node.description));
    parts.push(entityActions(id));
    if (node.flow) {
      const facts = el("ul", "card-facts");
      for (const [key, label] of [["inflow", "People in"], ["outflow", "People out"],
        ["net", "Net"]]) {
        if (node.flow[key] === undefined) continue;
        const item = el("li");
        item.append(el("b", null, label + ": "), document.createTextNode(String(node.flow[key])));
        facts.append(item);
      }
      parts.push(facts);
    }
    if (!nodeShown.get(id)) {
      parts.push(el("p", "note", "Hidden by the current filters or date."));
    }
    if (node.start) {
      parts.push(el("p", "note card-start", "Shown from " + node.start.slice(0, 7) +
        (node.start_from === "link" ? " (its earliest dated link)" : " (its beginning, as reported)")));
    }
    const figures = (data.figures || {})[id];
    if (figures && figures.length) {
      parts.push(el("h2", null, "Figures (" + figures.length + ")"));
      parts.push(figureChart(figures));
    }
    const own = edgesOf.get(id).slice().sort(edgeOrder);
    parts.push(el("h2", null, "Links (" + own.length + ")"));
    parts.push(linkGroups(own));
    panelBody.replaceChildren(...parts);
    panel.hidden = false;
  }

  function showLine(id) {
    const line = lineById.get(id);
    const style = relationStyle.get(line.relation);
    const parts = [badge(style.label, style.color),
      el("h2", "card-name", nodeById.get(line.from).name + " " + style.label + " " +
        nodeById.get(line.to).name),
      el("p", "card-description", line.claims.length + " claims, each with its sources")];
    parts.push(el("h2", null, "Claims (" + line.claims.length + ")"));
    for (const edge of line.claims.slice().sort(edgeOrder)) parts.push(edgeItem(edge));
    panelBody.replaceChildren(...parts);
    panel.hidden = false;
  }

  function showEdge(id) {
    const edge = edgeById.get(id);
    const style = relationStyle.get(edge.relation);
    const parts = [badge(style.label, style.color), el("h2", "card-name", edge.text)];
    const facts = el("ul", "card-facts");
    const fact = (label, value) => {
      if (value === undefined || value === null || value === "") return;
      const item = el("li");
      item.append(el("b", null, label + ": "));
      item.append(value instanceof Node ? value : document.createTextNode(String(value)));
      facts.append(item);
    };
    fact("From", entityLink(edge.from));
    fact("To", entityLink(edge.to));
    if (!edge.steps) {
      fact("Date", edge.date ? edge.date + (edge.end ? " – " + edge.end : "") : "undated");
    } else {
      fact("Moves", edgeLabel.has(edge.id) ? edgeLabel.get(edge.id) + " of " + edge.moves : edge.moves);
    }
    fact("Amount", edge.amount);
    fact("Hedged", edge.hedge);
    fact("Role", edge.role);
    fact("Round", edge.round);
    fact("Stake", edge.stake);
    fact("Status", edge.status);
    fact("Method", edge.method);
    fact("Deal", edge.deal);
    fact("People", edge.people && edge.people.length ? edge.people.join(", ") : null);
    fact("Cohorts", edge.cohorts && edge.cohorts.length ? edge.cohorts.join(", ") : null);
    parts.push(facts);
    if (edge.note) parts.push(el("p", "note", edge.note));
    if (edge.sources && edge.sources.length) {
      parts.push(el("h2", null, "Sources (" + edge.sources.length + ")"));
      parts.push(sourcesList(edge));
    }
    if (edge.details && edge.details.length) {
      parts.push(el("h2", null, "Moves (" + edge.details.length + ")"));
      for (const detail of edge.details) {
        const item = el("div", "edge-item");
        item.append(el("div", "edge-text", detail.text), sourcesList(detail));
        if (detail.note) item.append(el("div", "note", detail.note));
        parts.push(item);
      }
    }
    panelBody.replaceChildren(...parts);
    panel.hidden = false;
  }

  // ---- selecting ----
  // select(id) brings the entity into view (from search, a card or a path); a click on the
  // canvas passes move = false, so what was clicked stays under the pointer.
  function select(id, move) {
    if (!nodeById.has(id)) return false;
    rememberFocus();
    state.selected = { kind: "node", id: id };
    applyHighlight();
    refreshPanel();
    if (nodeShown.get(id)) {
      view.select(id);
      if (move !== false) view.focus(id, cardOffset());
    }
    return true;
  }
  // A click on a drawn line: the card of its one claim, or of all its claims.
  function selectLine(id) {
    const line = lineById.get(id);
    if (!line) return false;
    if (line.claims.length === 1) return selectEdge(line.claims[0].id);
    rememberFocus();
    state.selected = { kind: "line", id: id };
    applyHighlight();
    refreshPanel();
    return true;
  }
  function selectEdge(id) {
    if (!edgeById.has(id)) return false;
    rememberFocus();
    state.selected = { kind: "edge", id: id };
    applyHighlight();
    refreshPanel();
    return true;
  }
  function clearSelection() {
    state.selected = null;
    view.unselect();
    applyHighlight();
    refreshPanel();
  }
  $("panel-close").addEventListener("click", clearSelection);

  // ---- search by any name or alias ----
  // graphkit.data.names in the browser: each entity's keys were folded in Python and ship
  // in node.keys as [key, kind, form]; a query is folded by the rules in data.names and
  // scored as key_score does, so the page and the command line rank alike.
  const NAMES = data.names;
  const HAN_TO = Array.from(NAMES.han_to);
  const HAN = new Map(Array.from(NAMES.han_from).map((char, index) => [char, HAN_TO[index]]));
  const GLOSS = new RegExp(NAMES.gloss, "gu");
  const DROPPED = /[\p{Mn}\p{Cc}\p{Cf}]/u;
  const SEPARATOR = new Set(Array.from(NAMES.separators));
  function normalize(text) {
    let folded = String(text).normalize("NFKD").toLowerCase();
    if (folded.includes("(")) folded = folded.replace(GLOSS, "");
    let key = "";
    for (const char of folded) {
      if (!SEPARATOR.has(char) && !DROPPED.test(char)) key += HAN.get(char) || char;
    }
    return key;
  }
  function commonLength(a, b) { // longest common subsequence, for the Indel distance
    let previous = new Array(b.length + 1).fill(0);
    for (const char of a) {
      const row = [0];
      for (let j = 0; j < b.length; j++) {
        row.push(char === b[j] ? previous[j] + 1 : Math.max(previous[j + 1], row[j]));
      }
      previous = row;
    }
    return previous[b.length];
  }
  function keyScore(query, queryChars, key, kind) {
    if (key === query) return NAMES.exact[kind];
    const keyChars = Array.from(key);
    const length = queryChars.length;
    const size = keyChars.length;
    let score;
    if (key.startsWith(query)) score = 0.8 + 0.1 * length / size;
    else if (key.includes(query)) score = 0.75 + 0.05 * length / size;
    else {
      if (3 * Math.abs(length - size) > length + size) return 0; // too far apart to reach 2/3
      const distance = length + size - 2 * commonLength(queryChars, keyChars);
      if (3 * distance > length + size) return 0;
      score = 0.75 * (1 - distance / (length + size));
    }
    return score * NAMES.weight[kind];
  }
  function search(text, limit) {
    const query = normalize(text);
    if (!query) return [];
    const queryChars = Array.from(query);
    const hits = [];
    for (const node of data.nodes) {
      let best = 0;
      let matched = 0;
      for (const [key, kind, form] of node.keys || []) {
        const score = keyScore(query, queryChars, key, kind);
        if (score > best) {
          best = score;
          matched = form;
        }
      }
      if (best > 0) {
        const forms = [node.name, ...(node.aliases || []), node.id];
        hits.push({ id: node.id, name: node.name, type: node.type, matched: forms[matched],
          score: best });
      }
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.slice(0, limit || 10);
  }

  const searchBox = $("search");
  const results = $("search-results");
  let hits = [];
  let active = 0;
  function showResults() {
    hits = search(searchBox.value, 10);
    active = 0;
    const items = hits.map((hit, index) => {
      const item = el("li", index === active ? "active" : null);
      item.setAttribute("role", "option");
      item.dataset.id = hit.id;
      item.append(el("span", null, hit.name));
      const style = typeStyle.get(hit.type);
      const detail = (hit.matched !== hit.name ? hit.matched + " · " : "") +
        (style ? style.label : hit.type);
      item.append(el("span", "matched", detail));
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(hit.id);
      });
      return item;
    });
    if (!hits.length && searchBox.value.trim()) items.push(el("li", "none", "No entity matches"));
    results.replaceChildren(...items);
  }
  function choose(id) {
    results.replaceChildren();
    searchBox.value = nodeById.get(id).name;
    select(id);
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!hits.length) return;
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      results.querySelectorAll("li").forEach((item, index) =>
        item.classList.toggle("active", index === active));
    } else if (event.key === "Enter") {
      if (!hits.length) showResults();
      if (hits.length) choose(hits[active].id);
    } else if (event.key === "Escape") {
      searchBox.value = "";
      results.replaceChildren();
    }
  });
  searchBox.addEventListener("blur", () => results.replaceChildren());

  // ---- legends that filter ----
  const SVG = "http://www.w3.org/2000/svg";
  function svg(width, height) {
    const root = document.createElementNS(SVG, "svg");
    root.setAttribute("width", width);
    root.setAttribute("height", height);
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    root.setAttribute("aria-hidden", "true");
    return root;
  }
  // An SVG element with its attributes (and text, through textContent only) under parent.
  function svgChild(parent, tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    parent.append(node);
    return node;
  }
  function shapeIcon(shape, color) {
    const root = svg(16, 16);
    const points = {
      triangle: "8,1.5 15,14.5 1,14.5",
      triangleDown: "1,1.5 15,1.5 8,14.5",
      diamond: "8,1 15,8 8,15 1,8",
      hexagon: "8,1 14.5,4.5 14.5,11.5 8,15 1.5,11.5 1.5,4.5",
      star: "8,1 10,6 15.5,6.2 11.2,9.6 12.8,15 8,11.9 3.2,15 4.8,9.6 0.5,6.2 6,6",
    };
    let mark;
    if (shape === "dot") {
      mark = document.createElementNS(SVG, "circle");
      mark.setAttribute("cx", "8");
      mark.setAttribute("cy", "8");
      mark.setAttribute("r", "6.5");
    } else if (shape === "square") {
      mark = document.createElementNS(SVG, "rect");
      mark.setAttribute("x", "2");
      mark.setAttribute("y", "2");
      mark.setAttribute("width", "12");
      mark.setAttribute("height", "12");
    } else {
      mark = document.createElementNS(SVG, "polygon");
      mark.setAttribute("points", points[shape] || points.diamond);
    }
    mark.setAttribute("fill", color);
    mark.setAttribute("stroke", darken(color, 0.72));
    root.append(mark);
    return root;
  }
  function lineIcon(style) {
    const root = svg(28, 12);
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "6");
    line.setAttribute("x2", style.arrows === false ? "27" : "21");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", style.color);
    line.setAttribute("stroke-width", String(Math.max(1.5, style.width)));
    if (Array.isArray(style.dashes)) {
      line.setAttribute("stroke-dasharray", style.dashes.map((n) => n / 2).join(" "));
    }
    root.append(line);
    if (style.arrows !== false) {
      const head = document.createElementNS(SVG, "polygon");
      head.setAttribute("points", "20,1.5 27,6 20,10.5");
      head.setAttribute("fill", style.color);
      root.append(head);
    }
    return root;
  }
  function legendItem(icon, label, count, checked, onChange) {
    const item = el("li");
    const wrapper = el("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", () => onChange(box.checked));
    wrapper.append(box, icon, el("span", null, label));
    item.append(wrapper, el("span", "count", count));
    return item;
  }
  $("type-legend").replaceChildren(...data.types.map((type) =>
    legendItem(shapeIcon(type.shape, type.color), type.label, type.count, true, (on) => {
      if (on) state.types.add(type.type); else state.types.delete(type.type);
      applyVisibility();
    })));
  $("relation-legend").replaceChildren(...data.relations.map((relation) =>
    legendItem(lineIcon(relation), relation.label, relation.count, true, (on) => {
      if (on) state.relations.add(relation.relation); else state.relations.delete(relation.relation);
      applyVisibility();
    })));

  // ---- the date slider ----
  const slider = $("date-slider");
  function setMonth(index) {
    state.month = index === null || index >= months ? null : Math.max(0, index);
    slider.value = String(state.month === null ? months : state.month);
    const text = state.month === null ? "All dates" : "as of " + monthText(state.month);
    $("date-label").textContent = text;
    slider.setAttribute("aria-valuetext", text);
    applyVisibility();
  }
  // Play: the slider steps forward a month at a time, from the start (or where it is) to
  // the end, then shows all dates again.
  let playing = null;
  const playButton = $("date-play");
  function stopPlaying() {
    if (playing !== null) clearInterval(playing);
    playing = null;
    playButton.textContent = "Play";
    playButton.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (playing !== null) {
      stopPlaying();
      return;
    }
    setMonth(state.month === null || state.month >= months - 1 ? 0 : state.month + 1);
    const delay = Math.min(400, Math.max(60, Math.round(15000 / Math.max(months, 1))));
    playButton.textContent = "Pause";
    playButton.setAttribute("aria-pressed", "true");
    playing = setInterval(() => {
      if (state.month === null || state.month + 1 >= months) {
        stopPlaying();
        setMonth(null);
      } else {
        setMonth(state.month + 1);
      }
    }, delay);
  }
  const undatedCount = data.edges.filter(isUndated).length;
  function setUndated(on) {
    state.undated = on;
    $("undated-toggle").checked = on;
    applyVisibility();
  }
  if (undatedCount) {
    $("undated-row").hidden = false;
    $("undated-count").textContent = String(undatedCount);
    $("undated-toggle").addEventListener("change", (event) => setUndated(event.target.checked));
  }
  // A range input's drag fires many input events: act on the latest once per frame.
  function onInputPerFrame(input, act) {
    let pending = false;
    input.addEventListener("input", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        act();
      });
    });
  }
  if (timeline) {
    $("time-section").hidden = false;
    $("date-controls").hidden = false;
    slider.max = String(months);
    slider.value = String(months);
    $("date-label").textContent = "All dates";
    onInputPerFrame(slider, () => {
      const value = Number(slider.value);
      setMonth(value >= months ? null : value);
    });
    $("date-reset").addEventListener("click", () => {
      stopPlaying();
      setMonth(null);
    });
    playButton.addEventListener("click", play);
  }
  if (timeline || undatedCount) $("time-section").hidden = false;

  // ---- the degree filter: a large graph's ball thins to its best-linked entities ----
  const degreeFilter = $("degree-filter");
  const maxDegree = Math.min(50, data.nodes.reduce((most, node) => Math.max(most, node.degree), 0));
  function setMinDegree(value) {
    state.minDegree = Math.max(0, Math.min(maxDegree, value));
    degreeFilter.value = String(state.minDegree);
    $("degree-value").textContent = String(state.minDegree);
    degreeFilter.setAttribute("aria-valuetext", state.minDegree ? "at least " + state.minDegree +
      " links" : "0 links: every entity");
    applyVisibility();
  }
  if (maxDegree >= 3 && data.nodes.length > 20) {
    $("degree-row").hidden = false;
    degreeFilter.max = String(maxDegree);
    onInputPerFrame(degreeFilter, () => setMinDegree(Number(degreeFilter.value)));
  }

  // ---- the view: fit, show everything, reset ----
  const initialSelection = state.selected;
  function showEverything() {
    stopPlaying();
    data.types.forEach((t) => state.types.add(t.type));
    data.relations.forEach((r) => state.relations.add(r.relation));
    document.querySelectorAll(".legend input[type=checkbox]").forEach((box) => {
      box.checked = true;
    });
    state.undated = true;
    $("undated-toggle").checked = true;
    state.hidden.clear();
    state.minDegree = 0;
    degreeFilter.value = "0";
    $("degree-value").textContent = "0";
    if (timeline) setMonth(null); else applyVisibility();
    fit();
  }
  // Where the middle of the part of the graph the card leaves free is, from the middle of the
  // graph: the card lies over the right (or, on a phone, the bottom) of it.
  function cardOffset() {
    if (panel.hidden) return { x: 0, y: 0 };
    const stage = container.getBoundingClientRect();
    const card = panel.getBoundingClientRect();
    if (card.left > stage.left + stage.width / 3) return { x: -(stage.right - card.left) / 2, y: 0 };
    if (card.top > stage.top + stage.height / 4) return { x: 0, y: -(stage.bottom - card.top) / 2 };
    return { x: 0, y: 0 };
  }
  // Fit what is shown into the part of the graph the card does not cover.
  function fit() {
    const stage = container.getBoundingClientRect();
    const card = panel.hidden ? null : panel.getBoundingClientRect();
    view.fit(card && card.left > stage.left + stage.width / 3 ? stage.right - card.left : 0);
  }
  function reset() {
    state.selected = initialSelection;
    view.unselect();
    showEverything();
  }
  $("view-fit").addEventListener("click", fit);
  $("view-all").addEventListener("click", showEverything);
  $("view-reset").addEventListener("click", reset);

  // ---- narrow screens: the sidebar is a drawer over the graph ----
  const sidebar = $("sidebar");
  const menuToggle = $("menu-toggle");
  function setDrawer(open) {
    sidebar.classList.toggle("open", open);
    menuToggle.setAttribute("aria-expanded", String(open));
    if (open) $("search").focus();
  }
  menuToggle.addEventListener("click", () => setDrawer(!sidebar.classList.contains("open")));

  // Escape closes what is open: the search results first, then the drawer, then the card.
  // (Capture phase: an Escape that clears a search box with text in it does only that.)
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (event.target instanceof HTMLInputElement && event.target.type === "search" &&
        event.target.value) return;
    if (sidebar.classList.contains("open")) {
      setDrawer(false);
      menuToggle.focus();
    } else if (!listView.hidden && !state.selected) {
      setList(false);
      $("view-list").focus();
    } else if (state.selected) {
      const returnTo = lastFocus;
      clearSelection();
      if (returnTo && document.contains(returnTo)) returnTo.focus();
    }
  }, true);

  // ---- find a path in the page: the same rule as `graphkit path` ----
  // A bidirectional breadth-first search over the links shown, growing the smaller side a
  // layer at a time and keeping every shortest parent; of the shortest paths the first by
  // meeting entity and parents in id order, as graphkit.query.paths.shortest_node_paths
  // does.  Each hop walks the link of least rank (graphkit.query.paths.hop_key).
  function byId(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function shortestNodePath(source, target, usable) {
    if (source === target) return null;
    const distance = [new Map([[source, 0]]), new Map([[target, 0]])];
    const parents = [new Map([[source, []]]), new Map([[target, []]])];
    const frontiers = [[source], [target]];
    const depth = [0, 0];
    while (frontiers[0].length && frontiers[1].length) {
      const side = frontiers[0].length <= frontiers[1].length ? 0 : 1;
      const mine = distance[side];
      const theirs = distance[1 - side];
      const reached = [];
      const meeting = [];
      for (const node of frontiers[side]) {
        for (const edge of edgesOf.get(node)) {
          if (!usable(edge)) continue;
          const neighbour = edge.from === node ? edge.to : edge.from;
          const known = mine.get(neighbour);
          if (known === undefined) {
            mine.set(neighbour, depth[side] + 1);
            parents[side].set(neighbour, [node]);
            reached.push(neighbour);
            if (theirs.has(neighbour)) meeting.push(neighbour);
          } else if (known === depth[side] + 1 && !parents[side].get(neighbour).includes(node)) {
            parents[side].get(neighbour).push(node);
          }
        }
      }
      depth[side] += 1;
      frontiers[side] = reached;
      if (meeting.length) {
        const total = Math.min(...meeting.map((n) => mine.get(n) + theirs.get(n)));
        const middle = meeting.filter((n) => mine.get(n) + theirs.get(n) === total).sort(byId)[0];
        const chain = (start, links) => {
          const out = [start];
          for (let at = start; links.get(at).length;) {
            at = links.get(at).slice().sort(byId)[0];
            out.push(at);
          }
          return out;
        };
        return chain(middle, parents[0]).reverse().concat(chain(middle, parents[1]).slice(1));
      }
    }
    return null;
  }
  function findPath(source, target) {
    const usable = (edge) => edgeShown.get(edge.id);
    const found = shortestNodePath(source, target, usable);
    if (!found) return null;
    const edgesOnPath = [];
    for (let index = 0; index + 1 < found.length; index += 1) {
      const [a, b] = [found[index], found[index + 1]];
      const candidates = edgesOf.get(a).filter((edge) => usable(edge) &&
        ((edge.from === a && edge.to === b) || (edge.from === b && edge.to === a)));
      candidates.sort((x, y) => x.rank - y.rank);
      edgesOnPath.push(candidates[0]);
    }
    return { nodes: found, edges: edgesOnPath.map((e) => e.id),
      hops: edgesOnPath.map((e) => e.text || e.id) };
  }
  function renderPath() {
    const path = shownPath();
    $("path-section").hidden = !path;
    if (!path) {
      $("path-hops").replaceChildren();
      return;
    }
    $("path-hops").replaceChildren(...path.hops.map((text, index) => {
      const item = el("li");
      item.append(actionable(el("span", "link", text), () => selectEdge(path.edges[index])));
      return item;
    }));
  }
  // The two ends are typed (resolved by the search box's own matching) or picked from a card.
  const pathEnds = { from: null, to: null };
  function resolveEntity(text) {
    const exact = [...nodeById.values()].find((node) => node.id === text || node.name === text);
    if (exact) return exact.id;
    const hits = search(text, 1);
    return hits.length ? hits[0].id : null;
  }
  function setPathEnd(which, id) {
    pathEnds[which] = id;
    $("path-" + which).value = id ? nodeById.get(id).name : "";
    if (id && isNarrow()) setDrawer(true);
  }
  function runPath(source, target) {
    const status = $("path-status");
    if (!source || !target) {
      status.textContent = "Name two entities.";
      return null;
    }
    if (source === target) {
      status.textContent = "A path needs two different entities.";
      return null;
    }
    const path = findPath(source, target);
    state.path = path;
    status.textContent = path ? path.edges.length + " hop" + (path.edges.length === 1 ? "" : "s") +
      " from " + nodeById.get(source).name + " to " + nodeById.get(target).name
      : "No path between " + nodeById.get(source).name + " and " + nodeById.get(target).name +
        " among the links shown.";
    state.pathEnds = [source, target];
    if (path && state.selected && state.selected.quiet) state.selected = null;
    renderPath();
    applyHighlight();
    refreshPanel();
    saveView();
    return path;
  }
  function clearPath() {
    state.path = null;
    state.pathEnds = null;
    setPathEnd("from", null);
    setPathEnd("to", null);
    $("path-status").textContent = "";
    renderPath();
    applyHighlight();
    saveView();
  }
  $("path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const from = pathEnds.from && $("path-from").value === nodeById.get(pathEnds.from).name
      ? pathEnds.from : resolveEntity($("path-from").value);
    const to = pathEnds.to && $("path-to").value === nodeById.get(pathEnds.to).name
      ? pathEnds.to : resolveEntity($("path-to").value);
    if (from) setPathEnd("from", from);
    if (to) setPathEnd("to", to);
    runPath(from, to);
  });
  $("path-clear").addEventListener("click", clearPath);

  // ---- expand and collapse: hide an entity's neighbours that hang only on it ----
  function neighboursOf(id) {
    const found = new Set();
    for (const edge of edgesOf.get(id)) {
      const other = edge.from === id ? edge.to : edge.from;
      if (other !== id) found.add(other);
    }
    return found;
  }
  function collapse(id) {
    for (const other of neighboursOf(id)) {
      if (!nodeShown.get(other)) continue;
      const elsewhere = edgesOf.get(other).some((edge) => edgeShown.get(edge.id) &&
        edge.from !== id && edge.to !== id);
      if (!elsewhere) state.hidden.add(other);
    }
    applyVisibility();
    saveView();
  }
  function expand(id) {
    state.hidden.delete(id);
    for (const other of neighboursOf(id)) state.hidden.delete(other);
    applyVisibility();
    saveView();
  }
  function hideEntity(id) {
    state.hidden.add(id);
    if (state.selected && state.selected.id === id) state.selected = null;
    applyVisibility();
    saveView();
  }
  function entityActions(id) {
    const row = el("div", "card-actions");
    const button = (text, action) => {
      const item = el("button", null, text);
      item.type = "button";
      item.addEventListener("click", action);
      row.append(item);
    };
    button("Show neighbours", () => expand(id));
    button("Hide neighbours", () => collapse(id));
    button("Hide", () => hideEntity(id));
    button("Path from here", () => setPathEnd("from", id));
    button("Path to here", () => {
      setPathEnd("to", id);
      if (pathEnds.from && pathEnds.from !== id) runPath(pathEnds.from, id);
    });
    return row;
  }

  // ---- a list of what is shown, walkable by keyboard ----
  const listView = $("list-view");
  const listItems = $("list-items");
  const LIST_LIMIT = 2000;
  let listActive = 0;
  function renderList() {
    const shown = data.nodes.filter((node) => nodeShown.get(node.id))
      .sort((a, b) => byId(a.name.toLowerCase(), b.name.toLowerCase()) || byId(a.id, b.id));
    $("list-title").textContent = shown.length + " entities shown" +
      (shown.length > LIST_LIMIT ? " (the first " + LIST_LIMIT + " by name)" : "");
    listItems.replaceChildren(...shown.slice(0, LIST_LIMIT).map((node, index) => {
      const item = el("li", null);
      item.setAttribute("role", "option");
      item.id = "list-" + index;
      item.dataset.id = node.id;
      const style = typeStyle.get(node.type);
      item.append(el("span", "list-name", node.name),
        el("span", "list-type", (style ? style.label : node.type) + " · " +
          edgesOf.get(node.id).filter((edge) => edgeShown.get(edge.id)).length + " links"));
      item.addEventListener("click", () => select(node.id));
      return item;
    }));
    listActive = Math.min(listActive, Math.max(0, listItems.children.length - 1));
    markListActive();
  }
  function markListActive() {
    [...listItems.children].forEach((item, index) => {
      item.classList.toggle("active", index === listActive);
      item.setAttribute("aria-selected", String(index === listActive));
    });
    const active = listItems.children[listActive];
    if (active) {
      listItems.setAttribute("aria-activedescendant", active.id);
      active.scrollIntoView({ block: "nearest" });
    }
  }
  listItems.addEventListener("keydown", (event) => {
    const count = listItems.children.length;
    if (!count) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      listActive = (listActive + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      markListActive();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      listActive = event.key === "Home" ? 0 : count - 1;
      markListActive();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(listItems.children[listActive].dataset.id);
    }
  });
  function setList(open) {
    listView.hidden = !open;
    $("view-list").setAttribute("aria-expanded", String(open));
    if (open) {
      renderList();
      listItems.focus();
    }
  }
  $("view-list").addEventListener("click", () => setList(listView.hidden));

  // ---- export the view: PNG from the canvas, SVG drawn from the positions ----
  function download(name, href) {
    const link = document.createElement("a");
    link.download = name;
    link.href = href;
    document.body.append(link);
    link.click();
    link.remove();
  }
  function fileStem() {
    return (meta.title || "graph").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      "graph";
  }
  function exportPng() {
    const url = view.picture().toDataURL("image/png");
    download(fileStem() + ".png", url);
    return url.length;
  }
  function svgOfView() {
    const width = container.clientWidth;
    const height = container.clientHeight;
    const root = svg(width, height);
    root.removeAttribute("aria-hidden");
    root.setAttribute("xmlns", SVG);
    root.setAttribute("font-family", "system-ui, sans-serif");
    const add = svgChild;
    add(root, "rect", { width: width, height: height, fill: "#ffffff" });
    const ids = data.nodes.filter((node) => nodeShown.get(node.id)).map((node) => node.id);
    const screen = view.toScreen(ids);
    const lineGroup = add(root, "g", { fill: "none" });
    for (const line of lines) {
      if (!lineShown.get(line.id)) continue;
      const a = screen[line.from];
      const b = screen[line.to];
      if (!a || !b) continue;
      const item = visEdge(line, edgeMode.get(line.id));
      const attributes = { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1),
        y2: b.y.toFixed(1), stroke: item.color.color, "stroke-width": Math.max(1, item.width),
        "stroke-opacity": item.color.opacity };
      if (item.dashes) attributes["stroke-dasharray"] = item.dashes.join(" ");
      add(lineGroup, "line", attributes, undefined);
    }
    const nodeGroup = add(root, "g", {});
    for (const id of ids) {
      const node = nodeById.get(id);
      const style = typeStyle.get(node.type);
      const radius = Math.max(2, view.nodeRadius(id));
      add(nodeGroup, "circle", { cx: screen[id].x.toFixed(1), cy: screen[id].y.toFixed(1),
        r: radius.toFixed(1), fill: style.color, stroke: darken(style.color, 0.72) });
      add(nodeGroup, "text", { x: screen[id].x.toFixed(1),
        y: (screen[id].y + radius + 12).toFixed(1), "text-anchor": "middle", "font-size": 12,
        fill: INK }, node.name);
    }
    return new XMLSerializer().serializeToString(root);
  }
  function exportSvg() {
    const text = svgOfView();
    download(fileStem() + ".svg", "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text));
    return text;
  }
  $("export-png").addEventListener("click", exportPng);
  $("export-svg").addEventListener("click", exportSvg);

  // ---- the view in the address: selection, filters, date, path, hidden entities ----
  // Written to the URL's fragment (never sent anywhere), so a view can be shared as a link
  // to the same file; read back when the page opens.
  let restoring = false;
  function viewState() {
    const params = new URLSearchParams();
    const selected = state.selected;
    if (selected && !selected.quiet) params.set(selected.kind === "node" ? "entity" : "link", selected.id);
    if (state.month !== null) params.set("date", monthText(state.month));
    const offTypes = data.types.filter((t) => !state.types.has(t.type)).map((t) => t.type);
    if (offTypes.length) params.set("hide-types", offTypes.join(","));
    const offRelations = data.relations.filter((r) => !state.relations.has(r.relation))
      .map((r) => r.relation);
    if (offRelations.length) params.set("hide-relations", offRelations.join(","));
    if (!state.undated) params.set("undated", "no");
    if (state.pathEnds) params.set("path", state.pathEnds.join(","));
    if (state.hidden.size) params.set("hide", [...state.hidden].sort().join(","));
    if (state.minDegree) params.set("min-links", String(state.minDegree));
    return params.toString();
  }
  function saveView() {
    if (restoring) return;
    const text = viewState();
    const wanted = text ? "#" + text : "";
    if (location.hash === wanted || (!wanted && !location.hash)) return;
    try {
      history.replaceState(null, "", wanted || location.pathname + location.search);
    } catch (error) {
      // Some browsers refuse history changes for file:// pages; the view still works.
    }
  }
  function restoreView(hash) {
    const params = new URLSearchParams(hash.replace(/^#/, ""));
    if (![...params.keys()].length) return;
    restoring = true;
    try {
      const offTypes = (params.get("hide-types") || "").split(",").filter(Boolean);
      const offRelations = (params.get("hide-relations") || "").split(",").filter(Boolean);
      data.types.forEach((t) => state.types[offTypes.includes(t.type) ? "delete" : "add"](t.type));
      data.relations.forEach((r) =>
        state.relations[offRelations.includes(r.relation) ? "delete" : "add"](r.relation));
      document.querySelectorAll("#type-legend input").forEach((box, index) => {
        box.checked = state.types.has(data.types[index].type);
      });
      document.querySelectorAll("#relation-legend input").forEach((box, index) => {
        box.checked = state.relations.has(data.relations[index].relation);
      });
      state.undated = params.get("undated") !== "no";
      $("undated-toggle").checked = state.undated;
      state.hidden = new Set((params.get("hide") || "").split(",").filter((id) => nodeById.has(id)));
      state.minDegree = Math.max(0, Number(params.get("min-links")) || 0);
      degreeFilter.value = String(state.minDegree);
      $("degree-value").textContent = String(state.minDegree);
      const date = params.get("date");
      let month = null;
      if (date && timeline) {
        for (let index = 0; index < months; index += 1) {
          if (monthText(index) === date) month = index;
        }
      }
      if (timeline) setMonth(month); else applyVisibility();
      const ends = (params.get("path") || "").split(",");
      if (ends.length === 2 && nodeById.has(ends[0]) && nodeById.has(ends[1])) {
        setPathEnd("from", ends[0]);
        setPathEnd("to", ends[1]);
        runPath(ends[0], ends[1]);
      }
      if (params.get("entity") && nodeById.has(params.get("entity"))) {
        select(params.get("entity"));
      } else if (params.get("link")) {
        if (!selectLine(params.get("link"))) selectEdge(params.get("link"));
      }
    } finally {
      restoring = false;
    }
  }
  function isNarrow() {
    return window.matchMedia("(max-width: 760px)").matches;
  }

  // ---- the flow view as a Sankey: where people came from (left) and went (right) ----
  // Bands are as wide as the moves made by the slider's date; places the articles do not
  // name are set apart at the bottom in grey; a band carrying a cohort is hatched.
  const flowPage = meta.view === "flow";
  const sankeyBox = $("sankey");
  const SANKEY_TOP = 44; // below the toolbar
  let sankeyOn = flowPage;
  function flowCount(line) {
    const first = line.claims[0];
    return Number(edgeLabel.has(line.id) ? edgeLabel.get(line.id) : first.label) || 0;
  }
  function isUnknown(id) {
    return id.startsWith("?");
  }
  function renderSankey() {
    if (!flowPage) return;
    sankeyBox.hidden = !sankeyOn;
    $("view-sankey").setAttribute("aria-pressed", String(sankeyOn));
    if (!sankeyOn) return;
    const width = Math.max(320, container.clientWidth);
    const height = Math.max(240, container.clientHeight);
    const bands = lines.filter((line) => lineShown.get(line.id))
      .map((line) => ({ line: line, count: flowCount(line) })).filter((band) => band.count > 0);
    const sideTotals = (key) => {
      const totals = new Map();
      for (const band of bands) totals.set(band.line[key], (totals.get(band.line[key]) || 0) + band.count);
      return [...totals].sort((a, b) => (isUnknown(a[0]) - isUnknown(b[0])) || b[1] - a[1] ||
        byId(a[0], b[0]));
    };
    const origins = sideTotals("from");
    const destinations = sideTotals("to");
    const total = bands.reduce((sum, band) => sum + band.count, 0);
    const root = svg(width, height);
    root.removeAttribute("aria-hidden");
    root.setAttribute("role", "img");
    const add = svgChild;
    add(root, "title", {}, "Talent flow: " + total + " moves from " + origins.length +
      " origins to " + destinations.length + " destinations");
    const defs = add(root, "defs", {});
    const hatch = add(defs, "pattern", { id: "cohort-hatch", width: 6, height: 6,
      patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    add(hatch, "rect", { width: 6, height: 6, fill: "#0072b2", "fill-opacity": 0.35 });
    add(hatch, "line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#0072b2", "stroke-width": 2.5 });
    if (!total) {
      add(root, "text", { x: width / 2, y: height / 2, "text-anchor": "middle", fill: INK },
        "No moves by this date");
      sankeyBox.replaceChildren(root);
      return;
    }
    const top = 64 + SANKEY_TOP;
    const bottom = 24;
    const gap = 10;
    const columnWidth = 14;
    const labelRoom = Math.min(200, width * 0.26);
    const left = labelRoom;
    const right = width - labelRoom;
    const usable = (count) => height - top - bottom - gap * (count - 1);
    const scale = Math.max(0.5, Math.min(usable(origins.length), usable(destinations.length)) / total);
    const place = (side) => {
      const at = new Map();
      let y = top;
      side.forEach(([id, count], index) => {
        if (index > 0 && isUnknown(id) && !isUnknown(side[index - 1][0])) y += gap * 2;
        at.set(id, { y: y, height: count * scale, count: count, used: 0 });
        y += count * scale + gap;
      });
      return at;
    };
    const from = place(origins);
    const to = place(destinations);
    add(root, "text", { x: left, y: SANKEY_TOP + 30, "font-weight": 700, fill: INK, "text-anchor": "end" },
      "From");
    add(root, "text", { x: right, y: SANKEY_TOP + 30, "font-weight": 700, fill: INK }, "To");
    add(root, "text", { x: width / 2, y: SANKEY_TOP + 30, "text-anchor": "middle", fill: "#5b6673",
      "font-size": 12 }, total + " moves" + (state.month === null ? "" : " by " + monthText(state.month)));
    const bandGroup = add(root, "g", {});
    bands.sort((a, b) => byId(a.line.from, b.line.from) || (to.get(a.line.to).y - to.get(b.line.to).y));
    for (const band of bands) {
      const a = from.get(band.line.from);
      const b = to.get(band.line.to);
      const thick = band.count * scale;
      const y0 = a.y + a.used + thick / 2;
      const y1 = b.y + b.used + thick / 2;
      a.used += thick;
      b.used += thick;
      const x0 = left + columnWidth;
      const x1 = right;
      const middle = (x0 + x1) / 2;
      const unknown = isUnknown(band.line.from) || isUnknown(band.line.to);
      const cohort = (band.line.claims[0].cohorts || []).length > 0;
      const path = add(bandGroup, "path", {
        d: "M" + x0 + "," + y0.toFixed(1) + " C" + middle + "," + y0.toFixed(1) + " " + middle + "," +
          y1.toFixed(1) + " " + x1 + "," + y1.toFixed(1),
        fill: "none", stroke: unknown ? "#9aa4af" : cohort ? "url(#cohort-hatch)" : "#0072b2",
        "stroke-opacity": unknown ? 0.45 : 0.55, "stroke-width": Math.max(1, thick).toFixed(1),
        class: "band" + (cohort ? " cohort" : "") + (unknown ? " unknown" : ""),
        "data-line": band.line.id, tabindex: 0, role: "button" });
      add(path, "title", {}, nodeName(band.line.from) + " → " + nodeName(band.line.to) + ": " +
        band.count + (band.count === 1 ? " person" : " people") + (cohort ? " (with a cohort)" : ""));
      const open = () => selectLine(band.line.id);
      path.addEventListener("click", open);
      path.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      });
    }
    const column = (places, x, anchorEnd) => {
      for (const [id, spot] of places) {
        const unknown = isUnknown(id);
        const rect = add(root, "rect", { x: x, y: spot.y.toFixed(1), width: columnWidth,
          height: Math.max(1, spot.height).toFixed(1), fill: unknown ? "#9aa4af" : "#1f2933",
          class: "sankey-node", "data-id": id });
        if (!unknown) {
          rect.style.cursor = "pointer";
          rect.addEventListener("click", () => select(id));
        }
        add(root, "text", { x: anchorEnd ? x - 6 : x + columnWidth + 6,
          y: (spot.y + spot.height / 2 + 4).toFixed(1), "text-anchor": anchorEnd ? "end" : "start",
          "font-size": 13, fill: unknown ? "#5b6673" : INK, "font-style": unknown ? "italic" : "normal" },
          nodeName(id) + " · " + spot.count);
      }
    };
    column(from, left, true);
    column(to, right, false);
    sankeyBox.replaceChildren(root);
  }
  function nodeName(id) {
    return nodeById.has(id) ? nodeById.get(id).name : id;
  }
  if (flowPage) {
    $("finder").hidden = true; // a path through the flow's pairs is not a path of the graph
    $("view-sankey").hidden = false;
    $("view-sankey").addEventListener("click", () => {
      sankeyOn = !sankeyOn;
      renderSankey();
    });
    window.addEventListener("resize", () => renderSankey());
  }

  // ---- header and path ----
  $("title").textContent = meta.title;
  const sourceCount = Object.keys(data.documents).length;
  $("subtitle").textContent = [meta.subtitle, data.nodes.length + " entities · " +
    data.edges.length + " links" + (sourceCount ? " · " + sourceCount + " sources" : "")]
    .filter(Boolean).join(" · ");
  renderPath();

  applyHighlight();
  updateStatus();
  refreshPanel();
  restoreView(location.hash);
  renderSankey();
  window.addEventListener("hashchange", () => restoreView(location.hash));
  // vis-network fitted the graph to its box when it was built; refit only if the card panel
  // (a focus page) has since taken part of the width.
  if (!panel.hidden) fit();

  // Hovering a link labels it.
  function hoverLine(id) {
    const previous = hoveredLine;
    hoveredLine = id;
    const changed = [previous, id].filter((one) => one !== null && lineById.has(one));
    if (changed.length) view.restyled([], changed);
  }
  if (view.boostLabels) view.boostLabels();

  // Each edge's sentence, sources and facts come in a second block after this script, which
  // the browser parses after the first drawing; cards shown before then are redone.
  function loadDetails() {
    const details = JSON.parse(document.getElementById("graphkit-details").textContent);
    data.edges.forEach((edge, index) => Object.assign(edge, details[index]));
    api.loadedAtMs = performance.now();
    refreshPanel();
    announceReady();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadDetails, { once: true });
  } else {
    loadDetails();
  }

  Object.assign(api, {
    data: data,
    view: view,
    network: view.network,
    nodes: view.nodes,
    edges: view.edges,
    sigma: view.sigma,
    state: state,
    months: months,
    monthText: monthText,
    search: search,
    normalize: normalize,
    select: select,
    selectEdge: selectEdge,
    selectLine: selectLine,
    lineOf: (id) => (lineOf.has(id) ? lineOf.get(id).id : null),
    hoverLine: hoverLine,
    boostLabels: view.boostLabels || (() => {}),
    clearSelection: clearSelection,
    setMonth: setMonth,
    findPath: findPath,
    runPath: runPath,
    clearPath: clearPath,
    expand: expand,
    collapse: collapse,
    setList: setList,
    exportPng: exportPng,
    exportSvg: exportSvg,
    renderSankey: renderSankey,
    setMinDegree: setMinDegree,
    viewState: viewState,
    restoreView: restoreView,
    highlighted: () => ({
      nodes: highlighted.nodes ? [...highlighted.nodes].sort() : null,
      edges: highlighted.edges ? [...highlighted.edges].sort() : null,
    }),
    shown: () => ({
      nodes: data.nodes.filter((n) => nodeShown.get(n.id)).map((n) => n.id),
      edges: data.edges.filter((e) => edgeShown.get(e.id)).map((e) => e.id),
    }),
  });
})();
