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

