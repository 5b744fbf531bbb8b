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

