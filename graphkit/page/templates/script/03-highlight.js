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

