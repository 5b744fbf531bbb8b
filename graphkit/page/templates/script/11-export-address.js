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

