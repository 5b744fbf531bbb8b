  // ---- the views: vis-network (canvas) or sigma.js (WebGL), behind one interface ----
  // A view draws data.nodes and the lines, reads the page's state (nodeShown, lineShown,
  // nodeMode, edgeMode, highlighted) and is told what changed:
  //   shown(nodeUpdates, lineUpdates): items whose visibility flipped, as {id, hidden};
  //   relabelled(lineIds): flow lines whose counts changed;
  //   restyled(nodeIds, lineIds): items whose mode changed (`highlighted` may have too);
  //   select(id), unselect(); focus(id, offset): an entity to the middle of the view plus
  //   offset (pixels); fit(covered): what is shown into the width left of `covered` pixels
  //   on the right; toScreen(ids): positions in pixels; nodeRadius(id): in pixels;
  //   picture(): a canvas of the view on white; redraw(); nextDraw(): a promise of the next
  //   frame drawn; settled(): a promise of the moment it draws the state in full (no camera
  //   move or quick highlight under way); drawn(): [entities, lines] it draws.
  // A view reports clicks and hovers through select, selectLine, clearSelection and
  // hoverLine, and calls markReady() once it has drawn the page's first frame.
  function visView() {
    const nodes = new vis.DataSet(data.nodes.map((n) => visNode(n, "normal")));
    const edges = new vis.DataSet(lines.map((l) => visEdge(l, "normal")));
    const network = new vis.Network(container, { nodes: nodes, edges: edges }, {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false, randomSeed: 1 },
      interaction: {
        hover: !large,
        hideEdgesOnDrag: large,
        hideEdgesOnZoom: large,
        tooltipDelay: 200,
        selectConnectedEdges: false,
        zoomSpeed: 0.7,
        keyboard: false,
      },
      nodes: { chosen: false },
      edges: { chosen: false, arrowStrikethrough: false, selectionWidth: 0, hoverWidth: 0.5,
        arrows: { to: { enabled: true, scaleFactor: large ? 0.55 : 0.9 } } },
    });
    network.once("afterDrawing", markReady);

    // Draws over the finished frame: a translucent veil, then the highlighted links and
    // entities again on top of it (vis-network's own per-item draw methods).
    const veilSupported = Boolean(network.body && network.body.nodes && network.body.edges);
    function drawVeil(ctx) {
      if (!large || !veilSupported || !highlighted.nodes) return;
      const canvas = container.querySelector("canvas");
      const topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
      const bottomRight = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
      ctx.save();
      ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
      ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
      ctx.restore();
      const body = network.body;
      const drawnEdges = [];
      for (const id of highlighted.edges) {
        const edge = body.edges[id];
        if (!edge || !edge.connected || !lineShown.get(id)) continue;
        edge.draw(ctx);
        drawnEdges.push(edge);
      }
      for (const edge of drawnEdges) edge.drawArrows(ctx);
      const labels = [];
      for (const id of highlighted.nodes) {
        const node = body.nodes[id];
        if (!node || !nodeShown.get(id)) continue;
        const drawn = node.draw(ctx);
        if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
      }
      for (const draw of labels) draw();
    }
    network.on("afterDrawing", drawVeil);

    // Zoomed out on a large graph an arrowhead is smaller than a pixel, yet drawing them all
    // costs a third of a frame.  Links that do not set their own arrows inherit the network's
    // edge options (vis-network bridges them by prototype), so flipping that one flag before
    // each frame hides or shows every arrowhead at no cost.
    const sharedArrow = large && network.edgesHandler && network.edgesHandler.options &&
      network.edgesHandler.options.arrows ? network.edgesHandler.options.arrows.to : null;
    if (sharedArrow) {
      network.on("beforeDrawing", () => {
        sharedArrow.enabled = network.getScale() >= ARROW_MIN_SCALE;
      });
    }

    network.on("click", (params) => {
      if (params.nodes.length) select(params.nodes[0], false);
      else if (params.edges.length) selectLine(params.edges[0]);
      else clearSelection();
    });
    network.on("hoverEdge", (params) => hoverLine(params.edge));
    network.on("blurEdge", () => hoverLine(null));

    // Keep labels at least about 10 screen pixels high when zoomed out (up to twice their
    // size).  Restyling costs too much on a large graph, whose labels simply hide instead.
    // Zoomed in (at 1.4× or more), every link is labelled with its relation.
    function boostLabels() {
      const wanted = Math.min(2, Math.max(1, 10 / (16 * network.getScale())));
      const boost = Math.round(wanted * 10) / 10;
      const allLabels = network.getScale() >= 1.4;
      if (boost !== labelBoost) {
        labelBoost = boost;
        nodes.update(data.nodes.map((node) => visNode(node, nodeMode.get(node.id))));
      } else if (allLabels === allEdgeLabels) {
        return;
      }
      allEdgeLabels = allLabels;
      edges.update(lines.map((line) => visEdge(line, edgeMode.get(line.id))));
    }
    if (!large) {
      let boosting = false;
      const onZoom = () => {
        if (boosting) return;
        boosting = true;
        requestAnimationFrame(() => {
          boosting = false;
          boostLabels();
        });
      };
      network.on("zoom", onZoom);
      network.on("animationFinished", onZoom);
    }

    const dimsByItself = large && veilSupported;
    let movingUntil = 0; // the view moves to an entity (focus) until then
    return {
      name: "vis",
      network: network,
      nodes: nodes,
      edges: edges,
      dimsByItself: dimsByItself,
      boostLabels: large ? null : boostLabels,
      shown(nodeUpdates, lineUpdates) {
        if (nodeUpdates.length) nodes.update(nodeUpdates);
        if (lineUpdates.length) edges.update(lineUpdates);
      },
      relabelled(ids) {
        edges.update(ids.map((id) => ({ id: id, label: lineLabel(lineById.get(id)) })));
      },
      restyled(nodeIds, lineIds) {
        if (nodeIds.length) nodes.update(nodeIds.map((id) => visNode(nodeById.get(id), nodeMode.get(id))));
        if (lineIds.length) edges.update(lineIds.map((id) => visEdge(lineById.get(id), edgeMode.get(id))));
        // Before the first drawing vis-network draws on its own at the next frame.
        if (dimsByItself && api.readyAtMs !== null) network.redraw();
      },
      select(id) {
        network.selectNodes([id], false);
      },
      unselect() {
        network.unselectAll();
      },
      focus(id, offset) {
        movingUntil = performance.now() + FOCUS_MS;
        network.focus(id, { scale: Math.max(network.getScale(), large ? 0.9 : 0.85), offset: offset,
          animation: { duration: FOCUS_MS, easingFunction: "easeInOutQuad" } });
      },
      fit(covered) {
        movingUntil = 0;
        network.fit({ animation: false });
        const width = container.clientWidth;
        if (covered <= 0 || width <= covered) return;
        const scale = network.getScale() * (width - covered) / width;
        const centre = network.getViewPosition();
        network.moveTo({ scale: scale, position: { x: centre.x + covered / 2 / scale, y: centre.y } });
      },
      toScreen(ids) {
        const at = network.getPositions(ids);
        const screen = {};
        for (const id of ids) screen[id] = network.canvasToDOM(at[id]);
        return screen;
      },
      nodeRadius(id) {
        return nodeSize(nodeById.get(id)) * network.getScale();
      },
      picture() {
        return onWhite([container.querySelector("canvas")]);
      },
      redraw() {
        network.redraw();
      },
      nextDraw() {
        return new Promise((resolve) => network.once("afterDrawing", resolve));
      },
      settled() {
        return new Promise((resolve) => {
          const check = () => (performance.now() < movingUntil ? requestAnimationFrame(check) : resolve());
          check();
        });
      },
      drawn() {
        return [network.body.nodeIndices.length, network.body.edgeIndices.length];
      },
    };
  }

  // The canvases of a view, in order, copied onto one white canvas.
  function onWhite(canvases) {
    const copy = document.createElement("canvas");
    copy.width = canvases[0].width;
    copy.height = canvases[0].height;
    const ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    for (const canvas of canvases) ctx.drawImage(canvas, 0, 0, copy.width, copy.height);
    return copy;
  }

