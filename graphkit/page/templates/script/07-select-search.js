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

