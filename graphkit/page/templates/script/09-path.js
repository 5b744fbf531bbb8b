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

