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

