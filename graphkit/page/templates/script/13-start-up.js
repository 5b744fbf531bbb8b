  // ---- header and path ----
  $("title").textContent = meta.title;
  const sourceCount = Object.keys(data.documents).length;
  $("subtitle").textContent = [meta.subtitle, data.nodes.length + " entities · " +
    data.edges.length + " links" + (sourceCount ? " · " + sourceCount + " sources" : "")]
    .filter(Boolean).join(" · ");
  renderPath();

  applyHighlight();
  updateStatus();
  refreshPanel();
  restoreView(location.hash);
  renderSankey();
  window.addEventListener("hashchange", () => restoreView(location.hash));
  // vis-network fitted the graph to its box when it was built; refit only if the card panel
  // (a focus page) has since taken part of the width.
  if (!panel.hidden) fit();

  // Hovering a link labels it.
  function hoverLine(id) {
    const previous = hoveredLine;
    hoveredLine = id;
    const changed = [previous, id].filter((one) => one !== null && lineById.has(one));
    if (changed.length) view.restyled([], changed);
  }
  if (view.boostLabels) view.boostLabels();

  // Each edge's sentence, sources and facts come in a second block after this script, which
  // the browser parses after the first drawing; cards shown before then are redone.
  function loadDetails() {
    const details = JSON.parse(document.getElementById("graphkit-details").textContent);
    data.edges.forEach((edge, index) => Object.assign(edge, details[index]));
    api.loadedAtMs = performance.now();
    refreshPanel();
    announceReady();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadDetails, { once: true });
  } else {
    loadDetails();
  }

  Object.assign(api, {
    data: data,
    view: view,
    network: view.network,
    nodes: view.nodes,
    edges: view.edges,
    sigma: view.sigma,
    state: state,
    months: months,
    monthText: monthText,
    search: search,
    normalize: normalize,
    select: select,
    selectEdge: selectEdge,
    selectLine: selectLine,
    lineOf: (id) => (lineOf.has(id) ? lineOf.get(id).id : null),
    hoverLine: hoverLine,
    boostLabels: view.boostLabels || (() => {}),
    clearSelection: clearSelection,
    setMonth: setMonth,
    findPath: findPath,
    runPath: runPath,
    clearPath: clearPath,
    expand: expand,
    collapse: collapse,
    setList: setList,
    exportPng: exportPng,
    exportSvg: exportSvg,
    renderSankey: renderSankey,
    setMinDegree: setMinDegree,
    viewState: viewState,
    restoreView: restoreView,
    highlighted: () => ({
      nodes: highlighted.nodes ? [...highlighted.nodes].sort() : null,
      edges: highlighted.edges ? [...highlighted.edges].sort() : null,
    }),
    shown: () => ({
      nodes: data.nodes.filter((n) => nodeShown.get(n.id)).map((n) => n.id),
      edges: data.edges.filter((e) => edgeShown.get(e.id)).map((e) => e.id),
    }),
  });
})();
