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

