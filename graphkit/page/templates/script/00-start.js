/* graphkit page: draws the JSON in #graphkit-data with vis-network, or on a large page
 * (meta.webgl) in WebGL with sigma.js.  The page's logic (what is shown, highlighted,
 * selected) is shared; each renderer is a "view" behind one small interface (see visView
 * and sigmaView).  Every text from the data reaches the DOM through textContent, never
 * innerHTML, and no vis-network `title` is set (vis puts string titles into innerHTML).
 * The script is in parts, a file per concept, joined in the order of their names
 * (page_script in graphkit/page/html.py): this first one opens the function they share and
 * holds the data, the drawn lines and the page's state; the last one starts the page. */
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

