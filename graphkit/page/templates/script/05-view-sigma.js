  // sigma.js draws a graphology graph of the entities and lines with their base looks.
  // What is shown, dimmed or emphasised is never written into that graph: sigma's reducers
  // read it from the page's state at each refresh, so a filter, a slider step or a selection
  // costs one refresh of the whole drawing (0.05-0.3 s at 10,000 entities and 30,000 links
  // on a loaded 2-core machine) instead of an update per item.  Entities are discs (sigma's core has no other shapes),
  // links straight, undated ones lighter and thinner (it has no dashes).
  const WEBGL_NEAR_LABELS = 40; // a neighbourhood this small has all its entities labelled
  const WEBGL_LINK_LABELS_RATIO = 0.2; // zoomed in this far, links between labels are named
  const WEBGL_ARROWS_RATIO = 0.5; // and on a large graph, this far, links have arrowheads
  const GRID_DELAY_MS = 300; // entities appeared or went: labels re-sorted once changes stop
  // sigma.js draws entities and links as instances of one small shape (a triangle round a
  // disc, a rectangle).  Without a GPU (SwiftShader), an instanced draw costs about as much
  // per item as a draw call would: at 10,000 entities and 30,000 links a frame took 1.0-1.4 s
  // to show.  flat() makes the same program draw every item's vertices in one plain draw
  // (its per-vertex constants written out for each item): the same pixels, 0.1-0.2 s.
  function flat(Program) {
    return class extends Program {
      getDefinition() {
        const definition = super.getDefinition();
        if (!definition.CONSTANT_ATTRIBUTES) return definition;
        const plain = Object.assign({}, definition,
          { ATTRIBUTES: definition.ATTRIBUTES.concat(definition.CONSTANT_ATTRIBUTES) });
        delete plain.CONSTANT_ATTRIBUTES;
        delete plain.CONSTANT_DATA;
        return plain;
      }
      processVisibleItem(index, start, ...rest) {
        if (!this.perVertex) {
          const definition = super.getDefinition();
          this.perVertex = {
            own: Sigma.rendering.getAttributesItemsCount(definition.ATTRIBUTES),
            constants: definition.CONSTANT_DATA || null,
          };
        }
        super.processVisibleItem(index, start, ...rest);
        const { own, constants } = this.perVertex;
        if (!constants) return;
        const array = this.array;
        const stride = this.ATTRIBUTES_ITEMS_COUNT;
        for (let vertex = 0; vertex < constants.length; vertex += 1) {
          const at = start + vertex * stride;
          if (vertex > 0) array.copyWithin(at, start, start + own);
          const values = constants[vertex];
          for (let k = 0; k < values.length; k += 1) array[at + own + k] = values[k];
        }
      }
    };
  }
  function sigmaView() {
    const graph = new graphology.MultiDirectedGraph();
    for (const node of data.nodes) {
      graph.addNode(node.id, { x: node.x, y: -node.y, size: 2 + 1.2 * Math.sqrt(node.degree),
        color: typeStyle.get(node.type).color, label: shortLabel(node.name) });
    }
    for (const line of lines) {
      const style = relationStyle.get(line.relation);
      const undated = line.claims.every(isUndated);
      const width = (line.claims[0].width || style.width) * (1 + 0.6 * Math.log2(line.claims.length));
      graph.addDirectedEdgeWithKey(line.id, line.from, line.to, {
        color: undated ? lighten(style.color, 0.45) : style.color,
        size: undated ? Math.max(0.5, width * 0.6) : width,
        type: style.arrows === false || line.from === line.to ? "line" : "arrow",
        label: lineLabel(line),
      });
    }
    let linkLabels = false; // zoomed in far enough to name links
    // Zoomed out on a large graph a link is a pixel or two wide and an arrowhead a pixel or
    // two long, yet without a GPU every link's two triangles (and its arrowhead's one) cost
    // most of a frame: links are then hairlines (one line each, 2 vertices instead of 6; a
    // frame at 10,000 entities and 30,000 links shows in 70-90 ms instead of 105-130 ms),
    // and their widths and arrowheads come with zooming in (and on highlighted links).
    let arrowheads = !large;
    const renderer = new Sigma(graph, container, {
      zIndex: true,
      renderEdgeLabels: true,
      nodeProgramClasses: { circle: flat(Sigma.rendering.NodeCircleProgram) },
      edgeProgramClasses: {
        line: flat(Sigma.rendering.EdgeRectangleProgram),
        hair: Sigma.rendering.EdgeLineProgram,
        arrow: Sigma.rendering.createEdgeCompoundProgram([flat(Sigma.rendering.EdgeClampedProgram),
          flat(Sigma.rendering.EdgeArrowHeadProgram)]),
      },
      // Without a GPU (SwiftShader) the cost of a frame follows the number of items drawn,
      // and picking links (for clicks and hovers) draws every link twice: a large page
      // leaves it out (its links' cards are reached from its entities' cards).
      enableEdgeEvents: !large,
      enableCameraRotation: false,
      hideEdgesOnMove: true,
      minEdgeThickness: 0.6,
      labelFont: FONT,
      labelSize: 12,
      labelColor: { color: INK },
      labelRenderedSizeThreshold: 0, // sigma's label grid keeps labels apart
      // The entities sigma draws on its top layer (the hovered one, and the highlighted:
      // the selected one, or a whole neighbourhood above the veil, see showQuick): a framed
      // name for the hovered and the selected, the name alone for the others it labels.
      defaultDrawNodeHover: (context, look, settings) => {
        if (look.highlighted || look.key === renderer.hoveredNode) {
          Sigma.rendering.drawDiscNodeHover(context, look, settings);
        } else if (look.forceLabel) {
          Sigma.rendering.drawDiscNodeLabel(context, look, settings);
        }
      },
      edgeLabelFont: FONT,
      edgeLabelSize: 11,
      edgeLabelColor: { color: INK },
      // A link's name along it (sigma's own drawing) on a white halo, so that the link
      // and the entities under it do not cut it up.
      defaultDrawEdgeLabel: (context, link, source, target, settings) => {
        context.fillText = function (text, x, y) {
          this.strokeStyle = "#ffffff";
          this.lineWidth = 3;
          this.lineJoin = "round";
          this.strokeText(text, x, y);
          CanvasRenderingContext2D.prototype.fillText.call(this, text, x, y);
        };
        try {
          Sigma.rendering.drawStraightEdgeLabel(context, link, source, target, settings);
        } finally {
          delete context.fillText;
        }
      },
      // (A reducer's look is sigma's own copy of the item's attributes.)
      nodeReducer: (id, look) => {
        const keep = highlighted.nodes;
        if (!nodeShown.get(id)) {
          look.hidden = true;
          return look;
        }
        if (!keep) return look;
        if (!keep.has(id)) {
          // WebGL draws every link under every entity: greyed-out entities shrink to dots,
          // so that they do not cover the highlighted links (zoomed in on a large page,
          // where sigma draws every item larger, to smaller dots still).
          look.color = DIM_NODE;
          look.size = Math.min(look.size * 0.3, large && arrowheads ? 0.6 : 2);
          look.label = null;
          look.zIndex = 0;
          return look;
        }
        const mode = nodeMode.get(id);
        look.zIndex = 2;
        look.forceLabel = mode !== "normal" || keep.size <= WEBGL_NEAR_LABELS;
        if (mode === "selected") {
          look.size *= 1.4;
          look.highlighted = true;
        }
        return look;
      },
      edgeReducer: (id, look) => {
        const keep = highlighted.edges;
        if (!arrowheads && !(keep && keep.has(id))) look.type = "hair";
        // Links a highlight leaves out are not drawn: at 10k, greyed out, they hid the
        // highlighted ones on screen (30,000 links, 2-6 px wide once zoomed in); the
        // greyed-out entities still show where the rest is.
        if (!lineShown.get(id) || (keep && !keep.has(id))) {
          look.hidden = true;
          return look;
        }
        const mode = edgeMode.get(id);
        if (keep) look.zIndex = 1;
        if (mode === "emphasis") look.size *= 2.2;
        look.forceLabel = mode === "emphasis" || (mode === "near" && labelNear) || hoveredLine === id;
        if (!look.forceLabel && !linkLabels) look.label = null;
        return look;
      },
    });
    // Links' names are drawn above the entities (sigma puts them under: greyed-out entities
    // cut them up), below the entities' names.
    const layers = renderer.getCanvases();
    layers.nodes.after(layers.edgeLabels);
    // (The constructor drew the graph before this listener: it is ready once drawn again, in
    // the next frame, whatever the page changes before then.)
    renderer.once("afterRender", markReady);
    renderer.scheduleRender();
    renderer.on("clickNode", (event) => select(event.node, false));
    renderer.on("clickEdge", (event) => selectLine(event.edge));
    renderer.on("clickStage", () => clearSelection());
    renderer.on("enterEdge", (event) => hoverLine(event.edge));
    renderer.on("leaveEdge", () => hoverLine(null));
    // A change refreshes only the items whose look it changed: sigma runs the reducers for
    // those alone and writes them in place (a slider step at 10,000 entities and 30,000 links
    // changes a few hundred).  A highlight coming or going changes every item: a whole
    // refresh (after a quick one, below).  Items written in place keep their place in sigma's
    // label grid and drawing order: when entities appeared or went, or joined or left the
    // highlight (drawn on top), sigma re-indexes once the changes have stopped for a moment.
    const changedNodes = new Set();
    const changedLines = new Set();
    let drawnHighlight = highlighted; // what the last refresh drew
    let gridStale = false;
    let gridTimer = null;
    function difference(before, after, into) {
      for (const id of before) if (!after.has(id)) into.add(id);
      for (const id of after) if (!before.has(id)) into.add(id);
    }
    // A new highlight (an entity selected, a path found) costs a whole refresh before it
    // shows: sigma re-runs its reducers over every item and rebuilds every buffer, 0.1-0.2 s
    // at 10,000 entities and 30,000 links, and then the frame.  It is shown at once instead
    // (quick): a veil over the drawing, and the highlighted entities, named, on sigma's top
    // layer above it (a few ms).  Once that frame is shown, and the camera has moved to the
    // selection (sigma draws no links while it moves), sigma draws the highlight itself and
    // the veil comes off (settle).  Any other change meanwhile settles at once.
    const veil = document.createElement("div");
    veil.className = "sigma-veil";
    veil.hidden = true;
    renderer.getCanvases().hovers.before(veil);
    let quick = false; // a highlight shown above the veil, not yet drawn by sigma
    let quickFrame = null; // waiting for the frame that shows it
    let pendingMove = null; // the camera state to move to once it is shown
    let shownOf = null; // what the highlight on screen is of (quick or drawn)
    const drawWaiters = [];
    function drawnNow() {
      for (const resolve of drawWaiters.splice(0)) resolve();
    }
    renderer.on("afterRender", drawnNow);
    function showQuick() {
      quick = true;
      shownOf = highlighted.of;
      const top = renderer.highlightedNodes;
      top.clear();
      for (const id of highlighted.nodes) {
        if (!nodeShown.get(id)) continue;
        renderer.updateNode(id); // its look in the new highlight (the buffers keep the old)
        top.add(id);
      }
      veil.hidden = false;
      renderer.renderHighlightedNodes();
      drawnNow();
      if (quickFrame === null) {
        quickFrame = requestAnimationFrame(() => { quickFrame = requestAnimationFrame(afterQuick); });
      }
    }
    function afterQuick() {
      quickFrame = null;
      const move = pendingMove;
      pendingMove = null;
      if (move) moveTo(move);
      else settle();
    }
    function settle() {
      if (!quick) return;
      quick = false;
      drawnHighlight = highlighted;
      changedNodes.clear();
      changedLines.clear();
      gridStale = false;
      renderer.once("afterRender", () => { if (!quick) veil.hidden = true; });
      renderer.scheduleRefresh();
    }
    function moveTo(target) {
      // sigma draws no links while the camera moves: draw once more when it has stopped.
      camera.animate(target, { duration: FOCUS_MS }).then(() => {
        if (quick) settle();
        else renderer.scheduleRender();
      });
    }
    function refreshChanged() {
      const after = highlighted;
      if (after.nodes && after.of !== shownOf && api.readyAtMs !== null) {
        showQuick();
        return;
      }
      shownOf = after.of;
      if (quick) {
        settle();
        return;
      }
      const before = drawnHighlight;
      drawnHighlight = after;
      if ((before.nodes === null) !== (after.nodes === null) ||
          (before.edges === null) !== (after.edges === null)) {
        changedNodes.clear();
        changedLines.clear();
        gridStale = false;
        renderer.scheduleRefresh();
        return;
      }
      // Items joining or leaving the highlight are drawn in their old order (on top or not)
      // until sigma re-sorts everything once the changes stop; but a link that changes
      // program (a hairline that becomes a highlighted arrow) needs it at once.
      let reindex = false;
      if (after.nodes && before.nodes !== after.nodes) {
        const size = changedNodes.size;
        difference(before.nodes, after.nodes, changedNodes);
        if ((before.nodes.size <= WEBGL_NEAR_LABELS) !== (after.nodes.size <= WEBGL_NEAR_LABELS)) {
          for (const id of after.nodes) changedNodes.add(id);
        }
        if (changedNodes.size > size) gridStale = true;
      }
      if (after.edges && before.edges !== after.edges) {
        const size = changedLines.size;
        difference(before.edges, after.edges, changedLines);
        if (changedLines.size > size) {
          if (arrowheads) gridStale = true;
          else reindex = true;
        }
      }
      if (!changedNodes.size && !changedLines.size) return;
      // (A whole refresh still to be drawn, e.g. for a zoom or a resize, has dropped sigma's
      // places of items until it is drawn: then these are placed with the rest.)
      if (renderer.needToProcess) reindex = true;
      renderer.refresh({ partialGraph: { nodes: Array.from(changedNodes), edges: Array.from(changedLines) },
        skipIndexation: !reindex, schedule: true });
      changedNodes.clear();
      changedLines.clear();
      if (reindex) gridStale = false;
      if (gridStale) {
        clearTimeout(gridTimer);
        gridTimer = setTimeout(() => {
          if (!gridStale) return;
          gridStale = false;
          renderer.refresh({ partialGraph: {}, skipIndexation: false, schedule: true });
        }, GRID_DELAY_MS);
      }
    }
    const camera = renderer.getCamera();
    camera.on("updated", (at) => {
      const labels = at.ratio <= WEBGL_LINK_LABELS_RATIO;
      const arrows = !large || at.ratio <= WEBGL_ARROWS_RATIO;
      if (labels !== linkLabels || arrows !== arrowheads) {
        linkLabels = labels;
        arrowheads = arrows;
        if (!quick) renderer.scheduleRefresh(); // (else settling refreshes everything)
      }
    });

    // Conversions between the graph, sigma's framed coordinates and the screen for a given
    // camera.  They pass the graph's extent (as sigma measures it: the entities never move)
    // rather than let sigma read its own, which a whole refresh forgets until it is drawn.
    // The box round some points ({x, y}): left, right, top, bottom (Infinity when none).
    function bounds(points) {
      let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const at of points) {
        left = Math.min(left, at.x);
        right = Math.max(right, at.x);
        top = Math.min(top, at.y);
        bottom = Math.max(bottom, at.y);
      }
      return { left: left, right: right, top: top, bottom: bottom };
    }
    const graphDimensions = (() => {
      const box = bounds(data.nodes.map((node) => ({ x: node.x, y: -node.y })));
      return { width: box.right - box.left || 1, height: box.bottom - box.top || 1 };
    })();
    function seenBy(cameraState) {
      return { cameraState: cameraState, graphDimensions: graphDimensions };
    }
    // Where an entity is on screen for the camera as it is now (sigma's own conversions
    // without a camera use the last frame drawn, which lags a camera move).
    function onScreen(id) {
      const node = nodeById.get(id);
      return renderer.graphToViewport({ x: node.x, y: -node.y }, seenBy(camera.getState()));
    }
    // An entity's place in sigma's framed (normalised) coordinates.  (Its display data has
    // them only once a refresh has been drawn.)
    function framed(id) {
      return renderer.viewportToFramedGraph(onScreen(id), seenBy(camera.getState()));
    }
    // The camera that shows framed point `at` `offset` pixels from the middle of the view,
    // at zoom `ratio`.
    function cameraFor(at, ratio, offset) {
      const { width, height } = renderer.getDimensions();
      const centred = { x: at.x, y: at.y, ratio: ratio, angle: 0 };
      const centre = renderer.viewportToFramedGraph({ x: width / 2 - offset.x, y: height / 2 - offset.y },
        seenBy(centred));
      return { x: centre.x, y: centre.y, ratio: ratio, angle: 0 };
    }
    // The camera that fits what is shown into the width left of `covered` pixels.
    function framing(covered) {
      const { left, right, top, bottom } = bounds(data.nodes
        .filter((node) => nodeShown.get(node.id)).map((node) => framed(node.id)));
      if (left === Infinity) return { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
      // Pixels per framed unit at ratio 1, measured rather than derived from sigma's
      // framing rules.
      const unit = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
      const a = renderer.framedGraphToViewport({ x: 0, y: 0 }, seenBy(unit));
      const b = renderer.framedGraphToViewport({ x: 1, y: 1 }, seenBy(unit));
      const { width, height } = renderer.getDimensions();
      const free = covered > 0 && covered < width ? width - covered : width;
      const ratio = Math.max((right - left) * Math.abs(b.x - a.x) / (free - 40),
        (bottom - top) * Math.abs(b.y - a.y) / (height - 40), 0.002);
      const middle = { x: (left + right) / 2, y: (top + bottom) / 2 };
      return cameraFor(middle, ratio, { x: -(width - free) / 2, y: 0 });
    }
    return {
      name: "webgl",
      sigma: renderer,
      graph: graph,
      dimsByItself: true,
      boostLabels: null,
      shown(nodeUpdates, lineUpdates) {
        for (const update of nodeUpdates) changedNodes.add(update.id);
        for (const update of lineUpdates) changedLines.add(update.id);
        if (nodeUpdates.length) gridStale = true;
        refreshChanged();
      },
      relabelled(ids) {
        for (const id of ids) graph.setEdgeAttribute(id, "label", lineLabel(lineById.get(id)));
      },
      restyled(nodeIds, lineIds) {
        for (const id of nodeIds) changedNodes.add(id);
        for (const id of lineIds) changedLines.add(id);
        refreshChanged();
      },
      select() {},
      unselect() {},
      focus(id, offset) {
        const target = cameraFor(framed(id), Math.min(camera.ratio, large ? 0.15 : 0.5), offset);
        // A quick highlight is shown first, then the camera moves to it.
        if (quickFrame !== null) pendingMove = target;
        else moveTo(target);
      },
      fit(covered) {
        // A move still under way (to a selected entity) would carry on past this fit: stop
        // it (sigma's camera has no public call for that; its next frame is nextFrame).
        pendingMove = null;
        if (camera.isAnimated()) {
          cancelAnimationFrame(camera.nextFrame);
          camera.nextFrame = null;
        }
        camera.setState(framing(covered));
        settle();
      },
      toScreen(ids) {
        const screen = {};
        for (const id of ids) screen[id] = onScreen(id);
        return screen;
      },
      nodeRadius(id) {
        return renderer.scaleSize(renderer.getNodeDisplayData(id).size);
      },
      picture() {
        settle();
        renderer.refresh(); // WebGL canvases keep their pixels only until the frame is shown
        const layers = renderer.getCanvases();
        return onWhite(["edges", "nodes", "edgeLabels", "labels", "hovers", "hoverNodes"]
          .filter((name) => layers[name]).map((name) => layers[name]));
      },
      redraw() {
        if (quick) {
          renderer.renderHighlightedNodes(); // the drawing under the veil is as it was
          drawnNow();
        } else {
          renderer.scheduleRender();
        }
      },
      nextDraw() {
        return new Promise((resolve) => drawWaiters.push(resolve));
      },
      settled() {
        return new Promise((resolve) => {
          const check = () => {
            if (quick || quickFrame !== null || camera.isAnimated() || renderer.renderFrame) {
              requestAnimationFrame(check);
            } else {
              resolve();
            }
          };
          check();
        });
      },
      drawn() {
        let shownNodes = 0;
        let shownLines = 0;
        graph.forEachNode((id) => { if (!renderer.getNodeDisplayData(id).hidden) shownNodes += 1; });
        graph.forEachEdge((id) => { if (!renderer.getEdgeDisplayData(id).hidden) shownLines += 1; });
        return [shownNodes, shownLines];
      },
    };
  }
  // A colour mixed with white: `share` of white.
  function lighten(hex, share) {
    const value = parseInt(hex.slice(1), 16);
    const channel = (shift) => Math.round(((value >> shift) & 255) * (1 - share) + 255 * share);
    return "rgb(" + channel(16) + "," + channel(8) + "," + channel(0) + ")";
  }

  // A large page is drawn in WebGL when the browser has it; else (or on a small page) by
  // vis-network, which the page always carries.
  function makeView() {
    if (meta.webgl && typeof Sigma === "function" && typeof graphology === "function") {
      try {
        return sigmaView();
      } catch (error) {
        container.replaceChildren(); // no WebGL here: what sigma.js left, then vis-network
      }
    }
    const credits = $("credits-vis");
    if (credits) {
      credits.hidden = false;
      $("credits-webgl").hidden = true;
    }
    return visView();
  }
  const view = makeView();

