/* netlib explorer: search, cards, neighbourhoods and filters over a sigma.js map.
 *
 * The data arrive gzipped and base64-encoded in <script id="netlib-data">; nothing is fetched.
 * Every string that comes from data reaches the page through textContent or a canvas label, never
 * through innerHTML, so an id or a name holding markup shows as text.
 */
(function () {
  "use strict";

  const state = {
    data: null, graph: null, sigma: null, index: null,
    selected: null, ego: null, egoSteps: 0,
    communityOff: new Set(), segmentOff: new Set(), attrKey: null, attrOff: new Set(),
    measureKey: null, measureMin: -Infinity, errors: [], extra: new Set(), extraLeft: 0,
  };
  // most customers off the backbone map placed at once for a neighbourhood (the status says how many more).
  const MAX_EXTRA = 5000;
  const api = { ready: false, errors: state.errors };
  window.netlibExplorer = api;
  window.addEventListener("error", (e) => state.errors.push(String(e.message || e)));
  window.addEventListener("unhandledrejection", (e) => state.errors.push(String(e.reason)));

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "style") node.style.cssText = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  const nf = new Intl.NumberFormat("en-GB");
  const missing = (v) => v == null || Number.isNaN(v);
  function fmt(v) {
    if (missing(v)) return "–";
    if (Number.isInteger(v)) return nf.format(v);
    const a = Math.abs(v);
    if (a >= 100) return nf.format(Math.round(v));
    return String(Number(v.toPrecision(3)));  // plain decimals down to 1e-7 (0.000605, not 6.05e-4)
  }
  const pct = (v) => (v === 255 ? "–" : `${v}%`);  // shares travel as whole percents, 255 for missing

  // ------------------------------------------------------------------ strings
  // A table of strings shipped as one text: entry i is text.slice(off[i], off[i + 1]) (UTF-16
  // offsets), null where missing[i]. Search scans the one string rather than a million small ones.
  class Strings {
    constructor(bytes, off, missing) {
      this.bytes = bytes; this.off = off; this.missing = missing; this.length = off.length - 1;
      this._text = null; this._lower = null;
    }
    get text() { return this._text ?? (this._text = new TextDecoder().decode(this.bytes)); }
    get lower() {
      if (this._lower == null) {
        const low = this.text.toLowerCase();
        this._lower = low.length === this.text.length ? low : false;  // a few characters change length
      }
      return this._lower;
    }
    get(i) { return this.missing && this.missing[i] ? null : this.text.slice(this.off[i], this.off[i + 1]); }
    entry(pos) {  // the entry holding character pos
      const off = this.off;
      let lo = 0, hi = this.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (off[mid] <= pos) lo = mid; else hi = mid - 1; }
      return lo;
    }
    exact(q, caseless) {  // the first entry equal to q (ignoring case when caseless), or -1
      const text = caseless ? this.lower : this.text;
      if (!q) return -1;
      if (text === false) {
        for (let i = 0; i < this.length; i++) { const v = this.get(i); if (v != null && v.toLowerCase() === q) return i; }
        return -1;
      }
      for (let p = text.indexOf(q); p >= 0; p = text.indexOf(q, p + 1)) {
        const i = this.entry(p);
        if (this.off[i] === p && this.off[i + 1] === p + q.length && !(this.missing && this.missing[i])) return i;
      }
      return -1;
    }
    containing(needle, limit) {  // the first `limit` entries holding needle (lower case), in order
      const out = [], text = this.lower;
      if (text === false) {
        for (let i = 0; i < this.length && out.length < limit; i++) { const v = this.get(i); if (v != null && v.toLowerCase().includes(needle)) out.push(i); }
        return out;
      }
      let p = text.indexOf(needle);
      while (p >= 0 && out.length < limit) {
        const i = this.entry(p);
        if (p + needle.length <= this.off[i + 1]) { out.push(i); p = text.indexOf(needle, this.off[i + 1]); }
        else p = text.indexOf(needle, p + 1);  // the match runs into the next entry
      }
      return out;
    }
  }

  async function decode() {
    const b64 = $("netlib-data").textContent.trim();
    let bytes;
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(b64);
    else {
      const raw = atob(b64);
      bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    }
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    // a uint32 length, that much JSON, then 8-byte aligned little-endian typed arrays it points into
    const buf = await new Response(stream).arrayBuffer();
    const n = new DataView(buf).getUint32(0, true), start = 4 + n + ((8 - ((4 + n) % 8)) % 8);
    const types = { Float32Array, Float64Array, Int32Array, Uint8Array, Int8Array, Int16Array, Uint16Array, Uint32Array };
    return JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, n)), (key, value) =>
      !value || typeof value !== "object" ? value
        : value.$a ? new types[value.$a[0]](buf, start + value.$a[1], value.$a[2])
        : value.$s ? new Strings(...value.$s) : value);
  }

  // ------------------------------------------------------------------ data helpers
  function label(i) {
    const d = state.data;
    return (d.names && d.names.get(i)) || d.ids.get(i);
  }
  function community(i) {
    return state.data.communities[state.data.community[i]] || null;
  }
  function degrees() {
    // ties per customer, from the pairs (each tie is stored once, under its lower end)
    const p = state.data.pairs, n = state.data.ids.length, deg = new Int32Array(n);
    for (let u = 0; u < n; u++) deg[u] = p.ptr[u + 1] - p.ptr[u];
    for (let k = 0; k < p.n.length; k++) deg[p.n[k]]++;
    return deg;
  }
  function adjacency() {
    // both ends of every tie, built once when a card or a neighbourhood first needs it
    if (state.adj) return state.adj;
    const p = state.data.pairs, n = state.data.ids.length, deg = state.degree;
    const ptr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + deg[i];
    const fill = ptr.slice(0, n), nbr = new Int32Array(ptr[n]), pair = new Int32Array(ptr[n]);
    for (let u = 0; u < n; u++) {
      for (let k = p.ptr[u]; k < p.ptr[u + 1]; k++) {
        const v = p.n[k];
        nbr[fill[u]] = v; pair[fill[u]++] = k;
        nbr[fill[v]] = u; pair[fill[v]++] = k;
      }
    }
    return (state.adj = { ptr, nbr, pair });
  }
  function neighbours(i) {
    // every tie of customer i, strongest first, then by neighbour (from the full network, drawn or not)
    const a = adjacency(), p = state.data.pairs, out = [];
    for (let k = a.ptr[i]; k < a.ptr[i + 1]; k++) out.push([a.nbr[k], p.wv[p.wc[a.pair[k]]]]);
    return out.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  }
  function filter() {
    // the filters as one test per customer, made once per change (a million customers are tested per refresh)
    const d = state.data, cOff = state.communityOff, comm = d.community;
    const seg = d.segment && state.segmentOff.size ? d.segment : null, sOff = state.segmentOff;
    const a = state.attrKey != null && state.attrOff.size ? d.attributes.find((x) => x.key === state.attrKey) : null;
    const aOff = state.attrOff, min = state.measureMin;
    const m = state.measureKey != null && min > -Infinity ? d.measures.find((x) => x.key === state.measureKey) : null;
    const any = cOff.size || seg || a || m;
    return any ? (i) => !((cOff.size && cOff.has(comm[i])) || (seg && sOff.has(seg[i])) || (a && aOff.has(a.codes[i]))
      || (m && !(m.values[i] >= min))) : null;  // missing values fail every threshold
  }
  function passes(i) {
    return state.pass == null || state.pass(i);
  }
  function egoSet(i, steps) {
    // the customers within `steps` ties of i, nearest first; .parent: who each was reached from
    const a = adjacency(), seen = new Set([i]), parent = new Map();
    let frontier = [i];
    for (let s = 0; s < steps; s++) {
      const next = [];
      for (const u of frontier) {
        for (let k = a.ptr[u]; k < a.ptr[u + 1]; k++) {
          const v = a.nbr[k];
          if (!seen.has(v)) { seen.add(v); parent.set(v, u); next.push(v); }
        }
      }
      frontier = next;
    }
    seen.parent = parent;
    return seen;
  }

  // ------------------------------------------------------------------ customers off the map
  // The map draws a backbone (d.drawn). A customer opened off it, and the neighbourhood shown
  // around them, join the map while they are shown: placed among their drawn neighbours (else at
  // their community's label), their own neighbours on a sunflower spiral around whoever reached them.
  function clearExtra() {
    for (const key of state.extra) state.graph.dropNode(key);  // their ties go with them
    state.extra.clear();
    state.extraLeft = 0;
  }
  function anchor(i) {
    const d = state.data, a = adjacency();
    let x = 0, y = 0, k = 0;
    for (let q = a.ptr[i]; q < a.ptr[i + 1]; q++) {
      const j = a.nbr[q];
      if (d.drawn[j]) { x += d.x[j]; y += d.y[j]; k++; }
    }
    const c = community(i), [cx, cy] = k ? [x / k, y / k] : c && c.cx != null ? [c.cx, c.cy] : [500, 500];
    // beside that point, not on it (a single drawn neighbour would hide the customer)
    const angle = (i % 360) * 2.399963;
    return [cx + 8 * Math.cos(angle), cy + 8 * Math.sin(angle)];
  }
  function addExtra(i, x, y) {
    const d = state.data, c = community(i), key = String(i);
    state.graph.addNode(key, { x, y, label: (d.seed[i] ? "★ " : "") + label(i), size: 4,
      color: c ? c.colour : "#999999", zIndex: 2, offMap: true });
    state.extra.add(key);
  }
  function placeExtra() {
    clearExtra();
    const d = state.data, g = state.graph, i = state.selected;
    if (i == null || state.degree[i] === 0) return;  // a customer without ties has nothing to show
    if (!d.drawn[i]) { const [x, y] = anchor(i); addExtra(i, x, y); }
    if (state.ego) {
      const children = new Map(), step = 4;  // graph units; the map spans 1000
      for (const j of state.ego) {
        if (g.hasNode(String(j))) continue;
        if (state.extra.size >= MAX_EXTRA) { state.extraLeft++; continue; }
        const p = state.ego.parent.get(j), at = g.getNodeAttributes(String(p)), k = children.get(p) || 0;
        children.set(p, k + 1);
        const r = step * Math.sqrt(k + 1), angle = -Math.PI / 2 + k * 2.399963;  // the golden angle, from the top (labels go right)
        addExtra(j, at.x + r * Math.cos(angle), at.y + r * Math.sin(angle));
      }
    }
    // the ties of the customers just placed, to everyone on the map (within the neighbourhood when one is shown)
    const a = adjacency();
    for (const key of state.extra) {
      const u = +key;
      for (let q = a.ptr[u]; q < a.ptr[u + 1]; q++) {
        const v = a.nbr[q], other = String(v);
        if (!g.hasNode(other) || (state.ego && !state.ego.has(v)) || g.hasEdge(key, other)) continue;
        g.addEdge(key, other, { size: 0.6, color: "#bbbbbb" });
      }
    }
  }

  // ------------------------------------------------------------------ map
  function tint(hex, white) {
    // the colour mixed with white (sigma draws opaque edges; a tint reads lighter than the nodes)
    const n = parseInt(hex.slice(1), 16), mix = (c) => Math.round(c + (255 - c) * white);
    return "#" + [mix(n >> 16), mix((n >> 8) & 255), mix(n & 255)].map((c) => c.toString(16).padStart(2, "0")).join("");
  }
  function buildGraph() {
    const d = state.data, g = new graphology.Graph({ type: "undirected", multi: false });
    const size = d.measures.find((m) => m.key === d.meta.size_by);
    let smax = 0;
    if (size) for (const v of size.values) if (v != null && v > smax) smax = v;
    const labelled = new Set(d.labelled);
    for (const i of state.drawnList) {
      const v = size ? size.values[i] : null;
      const c = community(i);
      g.addNode(String(i), {
        x: d.x[i], y: d.y[i], label: (d.seed[i] ? "★ " : "") + label(i),
        size: 1.5 + (smax > 0 && v > 0 ? 10 * Math.sqrt(v / smax) : 0),
        color: c ? c.colour : "#999999",
        forceLabel: labelled.has(i), zIndex: labelled.has(i) ? 1 : 0,
      });
    }
    const t = d.pairs, dense = d.meta.ties_drawn > 20000;
    const inner = d.communities.map((c) => tint(c.colour, dense ? 0.85 : 0.7)), outer = dense ? "#f0f0f0" : "#e6e6e6";
    for (const i of state.drawnList) {
      for (let k = t.ptr[i]; k < t.ptr[i + 1]; k++) {
        const j = t.n[k];
        if (!d.drawn[j]) continue;
        const c = d.community[i];
        g.addEdge(String(i), String(j), {
          size: dense ? 0.3 : 0.4 + Math.min(1.6, Math.log1p(t.wv[t.wc[k]]) / 3),
          color: c === d.community[j] && inner[c] ? inner[c] : outer,
        });
      }
    }
    return g;
  }

  function nodeReducer(node, attrs) {
    const i = +node, out = { ...attrs };
    if (!passes(i)) { out.hidden = true; return out; }
    if (state.ego) {
      if (!state.ego.has(i)) { out.color = "#ececec"; out.label = null; out.forceLabel = false; out.zIndex = -1; }
      else {
        out.zIndex = 2;  // neighbours keep their labels where sigma finds room (forcing many would pile them up)
        if (state.ego.size <= 40) out.forceLabel = true;
      }
    }
    if (state.selected === i) { out.highlighted = true; out.forceLabel = true; out.zIndex = 3; }
    return out;
  }
  function edgeReducer(edge, attrs) {
    const g = state.graph, s = +g.source(edge), t = +g.target(edge);
    if (!passes(s) || !passes(t)) return { ...attrs, hidden: true };
    if (state.ego) {
      if (!(state.ego.has(s) && state.ego.has(t))) return { ...attrs, hidden: true };
      return { ...attrs, color: "#888888", size: Math.max(attrs.size, 0.8) };
    }
    return attrs;
  }

  function placeCommunityLabels() {
    // largest first; a label that would cover one already placed waits until the reader zooms in
    const d = state.data, layer = $("community-labels"), s = state.sigma;
    if (!layer || !s) return;
    const placed = [], labels = [...layer.children];
    // label sizes are measured once (one layout), not after every move
    if (!state.labelSize || state.labelSize.length !== labels.length) {
      for (const lab of labels) lab.hidden = false;
      state.labelSize = labels.map((lab) => [lab.offsetWidth, lab.offsetHeight]);
    }
    labels.forEach((lab, k) => {
      const c = d.communities[+lab.dataset.community];
      const off = state.communityOff.has(+lab.dataset.community) || state.ego;
      const p = s.graphToViewport({ x: c.cx, y: c.cy });
      lab.style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y)}px) translate(-50%, -100%)`;
      const [w, h] = state.labelSize[k], box = [p.x - w / 2, p.y - h, p.x + w / 2, p.y];
      const covers = placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]);
      lab.hidden = !!off || covers;
      if (!lab.hidden) placed.push(box);
    });
  }

  function refresh() {
    state.pass = filter();
    if (state.started) state.sigma.refresh();
    placeCommunityLabels();
    updateStatus();
  }

  function updateStatus() {
    const d = state.data;
    let shown = d.ids.length, onMap = state.drawnList.length;
    if (state.pass) {
      shown = 0; onMap = 0;
      for (let i = 0; i < d.ids.length; i++) if (state.pass(i)) { shown++; if (d.drawn[i]) onMap++; }
    }
    let text = `Filters keep ${nf.format(shown)} of ${nf.format(d.ids.length)} customers (${nf.format(onMap)} on the map).`;
    if (state.ego && state.selected != null) {
      const n = state.ego.size - 1;
      text += ` Showing ${label(state.selected)}'s ${state.egoSteps === 1 ? "direct ties" : "neighbourhood within 2 steps"}: ${nf.format(n)} customer${n === 1 ? "" : "s"}.`;
      if (state.extraLeft) text += ` The map adds at most ${nf.format(MAX_EXTRA)} customers from off it; ${nf.format(state.extraLeft)} more are not drawn.`;
    }
    $("status").textContent = text;
  }

  // ------------------------------------------------------------------ card
  function row(th, td) {
    return el("tr", {}, el("th", { text: th }), td instanceof Node ? el("td", {}, td) : el("td", { text: td }));
  }
  function customerButton(j, extra) {
    return el("button", { class: "link", type: "button", onclick: () => openCustomer(j, { zoom: true }) },
      label(j), extra || null);
  }

  function renderCard(i) {
    const d = state.data, card = $("card");
    card.replaceChildren();
    card.hidden = false;
    const name = d.names ? d.names.get(i) : null, id = d.ids.get(i);
    card.append(el("button", { class: "close", type: "button", title: "Close", "aria-label": "Close",
      onclick: closeCard, text: "×" }));
    card.append(el("h2", { id: "card-title", text: name || id }));
    if (name) card.append(el("p", { class: "muted", id: "card-id" }, "id ", el("code", { text: id })));
    const badges = el("p", { class: "badges" });
    if (d.rank[i] > 0) badges.append(el("span", { class: "badge", text: `Influence rank ${nf.format(d.rank[i])} of ${nf.format(d.ids.length)}` }));
    if (d.seed[i]) badges.append(el("span", { class: "badge seed", text: "Campaign seed" }));
    if (!d.drawn[i]) {
      const why = state.degree[i] === 0 ? "Not on the map: no ties"
        : state.small.has(i) ? "Added to the map while shown: in a small separate group"
        : `Added to the map while shown: outside the ${nf.format(d.meta.drawn)} most influential customers it draws`;
      badges.append(el("span", { class: "badge off", text: why }));
    }
    card.append(badges);

    const ego = el("p", { class: "ego" }, "Neighbourhood: ");
    ego.append(el("button", { type: "button", id: "ego-1", onclick: () => setEgo(1), text: "1 step" }), " ",
      el("button", { type: "button", id: "ego-2", onclick: () => setEgo(2), text: "2 steps" }), " ",
      el("button", { type: "button", id: "ego-clear", onclick: () => setEgo(0), text: "Clear" }));
    card.append(ego);

    const c = community(i);
    if (c) {
      card.append(el("h3", { text: "Community" }));
      card.append(el("p", {}, el("span", { class: "swatch", style: `background:${c.colour}` }), " ",
        el("strong", { text: c.name }), ` · ${nf.format(c.size)} customers`));
      if (c.description) card.append(el("p", { class: "desc", text: c.description }));
    }
    if (d.segment && d.segment[i] >= 0) {
      card.append(el("h3", { text: "Behaviour" }));
      card.append(el("p", {}, "Segment: ", el("strong", { text: d.segments[d.segment[i]] })));
    }
    if (d.shares) {
      const tb = el("table", { class: "shares" });
      for (const [key, values] of Object.entries(d.shares)) {
        const v = values[i];
        const bar = el("span", { class: "bar" }, el("span", { style: `width:${v === 255 ? 0 : v}%` }));
        tb.append(el("tr", {}, el("th", { text: key }), el("td", {}, bar), el("td", { class: "num", text: pct(v) })));
      }
      if (!d.segment || d.segment[i] < 0) card.append(el("h3", { text: "Behaviour" }));
      card.append(tb);
    }
    const mt = el("table", { class: "kv" });
    mt.append(row("customers tied to", nf.format(state.degree[i])));
    for (const m of d.measures) mt.append(row(m.label, fmt(m.values[i])));
    card.append(el("h3", { text: "Measures" }), mt);
    if (d.attributes.length) {
      const at = el("table", { class: "kv" });
      for (const a of d.attributes) {
        const code = a.codes[i];
        at.append(row(a.label, code < 0 ? "–" : a.values[code]));
      }
      card.append(el("h3", { text: "Attributes" }), at);
    }
    const ties = neighbours(i);
    card.append(el("h3", { text: `Strongest ties (${nf.format(state.degree[i])} in all)` }));
    if (ties.length) {
      const ol = el("ol", { class: "ties" });
      for (const [j, w] of ties.slice(0, d.meta.top_ties)) ol.append(el("li", {}, customerButton(j), el("span", { class: "muted", text: ` strength ${fmt(w)}` })));
      card.append(ol);
    } else card.append(el("p", { class: "muted", text: "No ties." }));
    if (d.meta.export_href) {
      const href = d.meta.export_href.split("{id}").join(encodeURIComponent(id));
      card.append(el("p", {}, el("a", { href, id: "card-export", text: "Open this customer's row in the exports" })));
    }
  }

  function setHash(h) {
    try { history.replaceState(null, "", h || location.pathname + location.search); } catch (err) { /* sandboxed frame */ }
  }

  function fitRatio(i, p) {
    // close enough to tell the customer's ties apart: the nearest half of their neighbours on the map in view
    const a = adjacency(), dist = [];
    for (let k = a.ptr[i]; k < a.ptr[i + 1]; k++) {
      const q = state.sigma.getNodeDisplayData(String(a.nbr[k]));
      if (q) dist.push(Math.hypot(q.x - p.x, q.y - p.y));
    }
    if (!dist.length) return Math.min(0.6, Math.max(0.03, Math.sqrt(30 / Math.max(1, state.data.meta.drawn))));
    dist.sort((x, y) => x - y);
    return Math.min(0.6, Math.max(0.02, 2.5 * dist[Math.floor((dist.length - 1) / 2)]));
  }

  function closeCard() {
    state.selected = null; state.ego = null; state.egoSteps = 0;
    clearExtra();
    $("card").hidden = true;
    if (location.hash) setHash("");
    refresh();
  }

  function setEgo(steps) {
    if (state.selected == null) return;
    state.egoSteps = steps;
    state.ego = steps ? egoSet(state.selected, steps) : null;
    placeExtra();
    refresh();
  }

  function openCustomer(i, { zoom = true, hash = true } = {}) {
    state.selected = i;
    $("search-results").replaceChildren();  // the list would cover the card
    if (state.ego) state.ego = egoSet(i, state.egoSteps);
    if (state.sigma) placeExtra();
    renderCard(i);
    if (hash) setHash("#customer=" + encodeURIComponent(state.data.ids.get(i)));
    refresh();  // sigma takes in the customers just placed before the camera looks for them
    if (zoom && state.sigma && state.graph.hasNode(String(i))) {
      const p = state.sigma.getNodeDisplayData(String(i));
      if (p) state.sigma.getCamera().animate({ x: p.x, y: p.y, ratio: fitRatio(i, p) }, { duration: 400 });
    }
  }

  // ------------------------------------------------------------------ search
  function findId(id) {
    // the customer with this id, or else the first whose id matches it ignoring case; -1 if none
    const ids = state.data.ids, i = ids.exact(id, false);
    return i >= 0 ? i : ids.exact(id.toLowerCase(), true);
  }
  function search(q) {
    const d = state.data, needle = q.trim().toLowerCase(), limit = 12;
    if (!needle) return [];
    const exact = findId(q.trim());
    // the first customers (in id order) whose id or name holds the text
    const hits = new Set(d.ids.containing(needle, limit + 1));
    if (d.names) for (const i of d.names.containing(needle, limit + 1)) hits.add(i);
    const rest = [...hits].filter((i) => i !== exact).sort((a, b) => a - b);
    return (exact >= 0 ? [exact, ...rest] : rest).slice(0, limit);
  }
  function showResults() {
    const box = $("search-results"), hits = search($("search").value);
    box.replaceChildren();
    for (const i of hits) {
      const name = state.data.names ? state.data.names.get(i) : null, id = state.data.ids.get(i);
      box.append(el("li", {}, el("button", { type: "button", class: "hit", onclick: () => { box.replaceChildren(); openCustomer(i); } },
        name || id, name ? el("span", { class: "muted", text: ` ${id}` }) : null)));
    }
    if (!hits.length && $("search").value.trim()) box.append(el("li", { class: "muted", text: "No customer matches." }));
    return hits;
  }

  // ------------------------------------------------------------------ filters
  function checkList(container, items, offSet, onChange, first = Infinity) {
    // the first `first` items at once; the rest when asked for (thousands of communities at a million customers)
    container.replaceChildren();
    const shown = items.length > first + 20 ? items.slice(0, first) : items;
    if (shown.length < items.length) {
      const more = el("button", { type: "button", class: "more", text: `show all ${nf.format(items.length)}` });
      more.addEventListener("click", () => { more.remove(); addChecks(container, items.slice(first), offSet, onChange); });
      addChecks(container, shown, offSet, onChange);
      container.append(more);
    } else addChecks(container, shown, offSet, onChange);
  }
  function addChecks(container, items, offSet, onChange) {
    for (const it of items) {
      const box = el("input", { type: "checkbox", "data-value": String(it.value) });
      box.checked = !offSet.has(it.value);
      box.addEventListener("change", () => { box.checked ? offSet.delete(it.value) : offSet.add(it.value); onChange(); });
      container.append(el("label", { class: "check" }, box,
        it.colour ? el("span", { class: "swatch", style: `background:${it.colour}` }) : null,
        el("span", { class: "name", text: it.name }), el("span", { class: "count", text: nf.format(it.count) })));
    }
  }
  function counts(codes, k) {
    const out = new Array(k).fill(0);
    for (const c of codes) if (c >= 0) out[c]++;
    return out;
  }
  function setAll(container, offSet, values, on) {
    offSet.clear();
    if (!on) for (const v of values) offSet.add(v);
    for (const box of container.querySelectorAll("input[type=checkbox]")) box.checked = on;
    refresh();
  }

  function buildFilters() {
    const d = state.data;
    const comms = d.communities.map((c, j) => ({ value: j, name: c.name, colour: c.colour, count: c.size }));
    checkList($("filter-community"), comms, state.communityOff, refresh, 200);
    $("community-all").addEventListener("click", () => setAll($("filter-community"), state.communityOff, comms.map((c) => c.value), true));
    $("community-none").addEventListener("click", () => setAll($("filter-community"), state.communityOff, comms.map((c) => c.value), false));
    if (d.segment) {
      const n = counts(d.segment, d.segments.length);
      checkList($("filter-segment"), d.segments.map((s, j) => ({ value: j, name: s, count: n[j] })), state.segmentOff, refresh);
    } else $("segment-box").hidden = true;

    const attrs = d.attributes.filter((a) => a.filter);
    const sel = $("attr-key");
    if (!attrs.length) $("attr-box").hidden = true;
    sel.append(el("option", { value: "", text: "choose an attribute" }));
    for (const a of attrs) sel.append(el("option", { value: a.key, text: a.label }));
    sel.addEventListener("change", () => {
      state.attrKey = sel.value || null; state.attrOff = new Set();
      const a = attrs.find((x) => x.key === sel.value);
      if (!a) { $("filter-attr").replaceChildren(); refresh(); return; }
      const n = counts(a.codes, a.values.length);
      checkList($("filter-attr"), a.values.map((v, j) => ({ value: j, name: v, count: n[j] })), state.attrOff, refresh);
      refresh();
    });

    const msel = $("measure-key"), slider = $("measure-min");
    for (const m of d.measures) msel.append(el("option", { value: m.key, text: m.label }));
    const sorted = {};
    function onSlide() {
      const m = d.measures.find((x) => x.key === msel.value);
      if (!m) return;
      const q = +slider.value;
      // sorted once per measure, when the slider first moves off "all customers"
      const vals = q === 0 ? null : sorted[m.key] || (sorted[m.key] = Float64Array.from(m.values.filter((v) => !missing(v))).sort());
      state.measureKey = m.key;
      state.measureMin = q === 0 || !vals.length ? -Infinity : vals[Math.min(vals.length - 1, Math.floor((q / 100) * vals.length))];
      $("measure-value").textContent = q === 0 ? "all customers" : `${m.label} ≥ ${fmt(state.measureMin)} (top ${100 - q}%)`;
      refresh();
    }
    const pick = d.measures.find((m) => m.key === d.meta.slider) || d.measures[0];
    if (pick) msel.value = pick.key; else $("measure-box").hidden = true;
    msel.addEventListener("change", () => { slider.value = 0; onSlide(); });
    slider.addEventListener("input", onSlide);
    onSlide();
  }

  function buildSummary() {
    const d = state.data, m = d.meta, parts = [];
    if (m.summarised) {
      parts.push(`The map draws the ${nf.format(m.drawn)} most influential customers (by ${m.size_label}) of ${nf.format(m.n)} and the ${nf.format(m.ties_drawn)} ties among them; above ${nf.format(m.max_nodes)} customers only the top ones are drawn. Search, cards and filters cover every customer.`);
    } else {
      parts.push(`${nf.format(m.drawn)} customers and ${nf.format(m.ties_drawn)} ties on the map, coloured by community, sized by ${m.size_label}.`);
    }
    if (m.isolates || m.small_groups) {
      const bits = [];
      if (m.isolates) bits.push(`${nf.format(m.isolates)} without ties`);
      if (m.small_groups) bits.push(`${nf.format(m.small_members)} in ${nf.format(m.small_groups)} small separate group${m.small_groups === 1 ? "" : "s"} of fewer than ${m.min_component}`);
      parts.push(`Not on the map: ${bits.join(" and ")}; search finds them.`);
    }
    parts.push(`Labelled: the ${nf.format(m.top_labelled)} most influential customers${m.seeds ? ` and the ${nf.format(m.seeds)} campaign seeds (marked ★)` : ""}.`);
    $("summary").textContent = parts.join(" ");
  }

  function communityLabels() {
    const d = state.data, layer = $("community-labels");
    layer.replaceChildren();
    for (const j of d.meta.labelled_communities) {
      const c = d.communities[j];
      layer.append(el("div", { class: "community-label", "data-community": String(j), style: `border-color:${c.colour}`, text: c.name }));
    }
  }

  function fromHash() {
    const m = /^#customer=(.*)$/.exec(location.hash);
    if (!m) return;
    let id;
    try { id = decodeURIComponent(m[1]); } catch (err) { id = m[1]; }
    const i = findId(id);
    if (i >= 0) openCustomer(i, { hash: false });
    else $("status").textContent = `No customer with id ${id} in this explorer.`;
  }

  async function main() {
    const t0 = performance.now(), marks = {};
    state.data = await decode();
    marks.decode = performance.now() - t0;
    const d = state.data;
    state.small = new Set(d.small);
    state.degree = degrees();
    state.drawnList = [];
    for (let i = 0; i < d.ids.length; i++) if (d.drawn[i]) state.drawnList.push(i);
    state.graph = buildGraph();
    marks.graph = performance.now() - t0;
    const container = $("map");
    state.sigma = new Sigma(state.graph, container, {
      nodeReducer, edgeReducer, zIndex: true, renderEdgeLabels: false,
      labelRenderedSizeThreshold: 11, labelDensity: 0.4, labelGridCellSize: 110,
      labelFont: "system-ui, sans-serif", labelSize: 12, labelWeight: "600",
      hideEdgesOnMove: state.graph.size > 50000, minCameraRatio: 0.005, maxCameraRatio: 3,
      defaultNodeColor: "#999999", stagePadding: 40,
      zoomToSizeRatioFunction: () => 1,  // customers keep their size as the reader zooms in: no blobs
    });
    // customers placed later (off the backbone) must not rescale the map under the reader
    state.sigma.setCustomBBox(state.sigma.getBBox());
    marks.sigma = performance.now() - t0;
    state.sigma.on("clickNode", ({ node }) => openCustomer(+node, { zoom: false }));
    state.sigma.on("afterRender", placeCommunityLabels);
    communityLabels();
    buildFilters();
    buildSummary();
    const box = $("search");
    box.addEventListener("input", showResults);
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { const hits = showResults(); if (hits.length) { $("search-results").replaceChildren(); openCustomer(hits[0]); } }
    });
    $("reset").addEventListener("click", () => state.sigma.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 }));
    window.addEventListener("hashchange", fromHash);
    state.started = true;  // the first frame already applied the reducers: no second pass
    placeCommunityLabels();
    updateStatus();
    if (location.hash) fromHash();
    else if (d.meta.open != null && d.ids.exact(d.meta.open, false) >= 0) openCustomer(d.ids.exact(d.meta.open, false), { hash: false });
    api.readyAt = performance.now();  // from the start of navigation
    api.loadMs = api.readyAt - t0;
    marks.ready = api.loadMs;
    if (performance.memory) marks.heap_mb = Math.round(performance.memory.usedJSHeapSize / 2 ** 20);  // Chromium only
    api.marks = marks;
    api.ready = true;
    document.body.dataset.ready = "1";
  }

  // hooks for tests and notebooks
  Object.assign(api, {
    open(id) { const i = state.data.ids.exact(String(id), false); if (i < 0) return false; openCustomer(i); return true; },
    ego(steps) { setEgo(steps); },
    egoIds() { return state.ego ? [...state.ego].map((i) => state.data.ids.get(i)) : null; },
    visibleIds() {
      const g = state.graph, out = [];
      g.forEachNode((node) => { const a = state.sigma.getNodeDisplayData(node); if (a && !a.hidden && passes(+node) && (!state.ego || state.ego.has(+node))) out.push(state.data.ids.get(+node)); });
      return out;
    },
    drawnTies() { return state.graph.size; },
    _debug: state,
    drawnIds() { const out = []; state.graph.forEachNode((n) => out.push(state.data.ids.get(+n))); return out; },
  });

  main().catch((err) => {
    state.errors.push(String(err && err.stack || err));
    $("status").textContent = `The explorer could not start: ${err}`;
    throw err;
  });
})();
