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

