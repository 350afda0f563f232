// nerve playground: the page. Plain JavaScript, no build step, no
// external requests. Training runs on a back end (today nerve's Go server;
// the same four calls could be answered by a WebAssembly build of the
// playground package): reset(hash), step(), play(on), subscribe(onFrame).
'use strict';

// ---- back end -------------------------------------------------------------

// serverBackend talks to the playground server of this page's origin.
// Each tab is its own session, named by a random id.
function serverBackend() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  const id = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  const api = (path, extra) => '/api/' + path + '?s=' + id + (extra || '');
  async function call(method, path, body, extra) {
    const r = await fetch(api(path, extra), {method, body});
    const text = await r.text();
    if (!r.ok) throw new Error(text.trim() || r.statusText);
    return text;
  }
  let source = null;
  return {
    reset: async hash => JSON.parse(await call('POST', 'reset', hash)),
    step: async () => JSON.parse(await call('POST', 'step')),
    play: async on => JSON.parse(await call('POST', 'play', null, '&on=' + (on ? 1 : 0))),
    subscribe(onFrame) {
      if (source) source.close();
      source = new EventSource(api('events'));
      source.addEventListener('frame', e => onFrame(JSON.parse(e.data)));
    },
    upload: async file => JSON.parse(await call('POST', 'upload', file, '&name=' + encodeURIComponent(file.name))),
    trace: () => call('GET', 'trace'),
    command: () => call('GET', 'command'),
    url: path => api(path),
  };
}

// ---- state and the URL hash -----------------------------------------------

const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
const FEATURE_LABELS = {x1: 'X\u2081', x2: 'X\u2082', x1sq: 'X\u2081\u00b2', x2sq: 'X\u2082\u00b2', x1x2: 'X\u2081X\u2082', sinx1: 'sin(X\u2081)', sinx2: 'sin(X\u2082)'};
const FEATURE_FN = {
  x1: (a, b) => a, x2: (a, b) => b, x1sq: (a, b) => a * a, x2sq: (a, b) => b * b,
  x1x2: (a, b) => a * b, sinx1: a => Math.sin(a), sinx2: (a, b) => Math.sin(b),
};
const LRS = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGRATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const MAX_HIDDEN = 6, MAX_NEURONS = 8;
const PLAY_ICON = '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M7 4l13 8-13 8z" fill="currentColor"/></svg>';
const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M6 4h4v16H6z M14 4h4v16h-4z" fill="currentColor"/></svg>';

// state mirrors the URL hash; the server parses and normalises it.
let state = {};

function parseHash(hash) {
  const s = {};
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) s[k] = v;
  return s;
}

function encodeHash(s) {
  return Object.entries(s).map(([k, v]) => k + '=' + encodeURIComponent(v).replace(/%2C/g, ',')).join('&');
}

const $ = id => document.getElementById(id);

// ---- colours --------------------------------------------------------------

// LUT maps a byte (value v/127.5 − 1) to TensorFlow Playground's colours:
// orange for −1, near white for 0, blue for +1.
const LUT = (() => {
  const neg = [245, 147, 34], mid = [232, 234, 235], pos = [8, 119, 189];
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 127.5 - 1, [a, b, u] = t < 0 ? [mid, neg, -t] : [mid, pos, t];
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = a[c] + (b[c] - a[c]) * u;
  }
  return lut;
})();
const CLASS_COLOURS = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [171, 71, 188], [230, 57, 70], [96, 96, 96]];

function toByte(v) { return Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5); }

function decode(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// offscreen keeps one n×n canvas and its image buffer per size.
const offscreen = {};

// render draws n×n bytes (LUT colours) or, with classes, a class map and
// its probabilities, into the n×n offscreen canvas and returns it.
function render(px, n, opts) {
  opts = opts || {};
  let o = offscreen[n];
  if (!o) {
    const c = document.createElement('canvas');
    c.width = c.height = n;
    const ctx = c.getContext('2d');
    o = offscreen[n] = {c, ctx, img: ctx.createImageData(n, n)};
  }
  const d = o.img.data;
  for (let i = 0; i < n * n; i++) {
    let r, g, b;
    if (opts.classes > 2) {
      const c = CLASS_COLOURS[px[i] % CLASS_COLOURS.length], p = opts.discretize ? 1 : px[n * n + i] / 255;
      const w = 0.25 + 0.6 * p;
      r = 255 + (c[0] - 255) * w; g = 255 + (c[1] - 255) * w; b = 255 + (c[2] - 255) * w;
    } else {
      let v = px[i];
      if (opts.discretize) v = v >= 128 ? 255 : 0;
      r = LUT[v * 3]; g = LUT[v * 3 + 1]; b = LUT[v * 3 + 2];
    }
    d[i * 4] = r; d[i * 4 + 1] = g; d[i * 4 + 2] = b; d[i * 4 + 3] = 255;
  }
  o.ctx.putImageData(o.img, 0, 0);
  return o.c;
}

// blit copies a rendered picture onto canvas, scaled.
function blit(canvas, from, smooth) {
  const out = canvas.getContext('2d');
  out.imageSmoothingEnabled = smooth !== false;
  out.drawImage(from, 0, 0, canvas.width, canvas.height);
}

// paint renders px and copies it onto canvas.
function paint(canvas, px, n, opts) {
  blit(canvas, render(px, n, opts), !(opts && opts.discretize));
}

// ---- the page -------------------------------------------------------------

const backend = serverBackend();
let run = null;        // the last reset's reply: points, classes, history
let frame = null;      // the last frame drawn
let history = [];      // loss points, epoch 0 first
let playing = false;
let turn = 0; // the newest play turn seen: frames older than it say nothing of playing
let selected = null;   // {layer, unit} of the neuron whose formula is open
let pendingFrame = null;
let subscribed = false;

function fmt(v) {
  if (v === null || v === undefined) return 'NaN';
  const a = Math.abs(v);
  return a !== 0 && (a < 0.001 || a >= 1000) ? v.toExponential(2) : v.toFixed(3);
}

function showMessage(text) {
  const m = $('message');
  m.textContent = text || '';
  m.hidden = !text;
}

function showWarnings(list) {
  const ul = $('warnings');
  ul.textContent = '';
  for (const w of list || []) {
    const li = document.createElement('li');
    li.textContent = 'URL: ' + w;
    ul.appendChild(li);
  }
}

function fillSelect(sel, values, current) {
  sel.textContent = '';
  const vals = values.slice();
  if (current !== undefined && !vals.includes(current)) vals.push(current);
  vals.sort((a, b) => a - b);
  for (const v of vals) {
    const o = document.createElement('option');
    o.value = String(v);
    o.textContent = String(v);
    sel.appendChild(o);
  }
  sel.value = String(current);
}

// syncControls writes state into the form.
function syncControls() {
  fillSelect($('lr'), LRS, Number(state.lr));
  fillSelect($('regrate'), REGRATES, Number(state.regrate));
  for (const id of ['activation', 'reg', 'problem', 'optimizer', 'loss', 'ratio', 'noise', 'batch', 'seed', 'classes']) {
    if (state[id] !== undefined) $(id).value = state[id];
  }
  for (const id of ['ratio', 'noise', 'batch']) $(id + '-value').textContent = state[id];
  for (const r of document.querySelectorAll('input[name=dataset]')) r.checked = r.value === state.dataset;
  $('classes').disabled = state.dataset !== 'spiral';
  $('layer-count').textContent = hiddenSizes().length;
  $('play').setAttribute('aria-pressed', String(playing));
  $('play').innerHTML = playing ? PAUSE_ICON : PLAY_ICON;
  $('play').setAttribute('aria-label', playing ? 'Pause' : 'Play');
}

function hiddenSizes() {
  return state.hidden ? state.hidden.split(',').filter(Boolean).map(Number) : [];
}

function features() {
  return state.features ? state.features.split(',') : [];
}

// reset restarts the run from the URL hash.
async function reset() {
  playing = false;
  try {
    const r = await backend.reset(location.hash);
    run = r;
    state = parseHash(r.hash);
    history = r.history.slice();
    if ('#' + r.hash !== location.hash) history_replace(r.hash);
    showWarnings(r.warnings);
    showMessage('');
    syncControls();
    buildNetwork();
    drawFrame(r.frame);
    if (!subscribed) { backend.subscribe(onFrame); subscribed = true; }
    if (!$('trace').hidden && $('trace').childElementCount) showTrace();
  } catch (e) {
    showMessage(String(e.message || e));
  }
}

function history_replace(hash) {
  window.history.replaceState(null, '', '#' + hash);
}

// change sets state keys, writes the hash and resets.
function change(kv) {
  Object.assign(state, kv);
  history_replace(encodeHash(state));
  reset();
}

// stats counts the frames that reached the page and those drawn; the
// header shows the rate of each over the last second.
const stats = {frames: 0, draws: 0, since: performance.now(), lastFrames: 0, lastDraws: 0};

function countFrame(drawn) {
  if (drawn) stats.draws++; else stats.frames++;
  const now = performance.now();
  if (now - stats.since >= 1000) {
    const secs = (now - stats.since) / 1000;
    $('fps').textContent = Math.round((stats.frames - stats.lastFrames) / secs) + ' frames/s, ' +
      Math.round((stats.draws - stats.lastDraws) / secs) + ' drawn';
    stats.since = now; stats.lastFrames = stats.frames; stats.lastDraws = stats.draws;
  }
}

function onFrame(f) {
  countFrame(false);
  if (!run) return;
  // Draw at most once per animation frame.
  const first = pendingFrame === null;
  pendingFrame = f;
  if (first) requestAnimationFrame(() => { const g = pendingFrame; pendingFrame = null; drawFrame(g); });
}

function drawFrame(f) {
  if (f.run !== run.frame.run) return; // a frame of the run before the last reset
  frame = f;
  countFrame(true);
  if (!history.length || history[history.length - 1].epoch < f.epoch) {
    history.push({epoch: f.epoch, train: f.lossTrain, test: f.lossTest});
  }
  $('epoch').textContent = String(f.epoch).padStart(6, '0');
  $('loss-train').textContent = fmt(f.lossTrain);
  $('loss-test').textContent = fmt(f.lossTest);
  if (f.turn >= turn) {
    turn = f.turn;
    if (playing !== f.playing) { playing = f.playing; syncControls(); }
  }
  showMessage(f.diverged ? 'Training stopped: ' + f.diverged : '');
  drawBoundary();
  drawLossChart();
  drawNeurons();
  drawEdges();
  if (selected) showFormula(selected.layer, selected.unit);
}

function drawBoundary() {
  const c = $('boundary');
  const classes = run.classes ? run.classes.length : 0;
  paint(c, decode(frame.boundary), frame.density, {classes, discretize: $('discretize').checked});
  const ctx = c.getContext('2d'), s = c.width / 12;
  const dot = (p, test) => {
    const x = (p[0] + 6) * s, y = (6 - p[1]) * s;
    let col;
    if (run.classes) col = run.classes.length > 2 ? CLASS_COLOURS[p[2] % CLASS_COLOURS.length] : (p[2] ? [8, 119, 189] : [245, 147, 34]);
    else { const v = toByte(p[2]); col = [LUT[v * 3], LUT[v * 3 + 1], LUT[v * 3 + 2]]; }
    ctx.beginPath();
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
    ctx.fillStyle = 'rgb(' + col.join(',') + ')';
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = test ? '#000' : '#fff';
    ctx.stroke();
  };
  for (const p of run.train) dot(p, false);
  if ($('show-test').checked) for (const p of run.test) dot(p, true);
}

function drawLossChart() {
  const c = $('loss-chart'), ctx = c.getContext('2d');
  ctx.clearRect(0, 0, c.width, c.height);
  const finite = history.filter(p => p.train !== null && p.test !== null);
  if (finite.length < 2) return;
  const maxY = Math.max(...finite.map(p => Math.max(p.train, p.test))) || 1;
  const maxX = finite[finite.length - 1].epoch || 1;
  for (const [key, colour] of [['train', '#9aa1ad'], ['test', '#111827']]) {
    ctx.beginPath();
    finite.forEach((p, i) => {
      const x = p.epoch / maxX * (c.width - 2) + 1, y = c.height - 2 - p[key] / maxY * (c.height - 4);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
}

// ---- the network ----------------------------------------------------------

const CELL = 38, GAP_Y = 46, LEFT = 70;
let layout = null; // positions of every node, by column

function columnX(col, cols) {
  const w = $('network').clientWidth || 480;
  return LEFT + col * ((w - LEFT - CELL) / Math.max(1, cols - 1));
}

// buildNetwork lays out the feature column, the hidden layers and the
// output, and (re)creates their elements.
function buildNetwork() {
  const net = $('network');
  for (const el of net.querySelectorAll('.neuron, .layer-controls')) el.remove();
  const hidden = hiddenSizes(), used = features();
  const cols = hidden.length + 2;
  layout = [];
  // Inputs: every feature, the unused ones dimmed.
  const inputs = FEATURES.map((f, i) => {
    const el = node(columnX(0, cols), i * GAP_Y, 'feature' + (used.includes(f) ? '' : ' off'), FEATURE_LABELS[f]);
    el.id = 'feature-' + f;
    el.setAttribute('role', 'switch');
    el.setAttribute('aria-checked', String(used.includes(f)));
    el.setAttribute('aria-label', 'feature ' + FEATURE_LABELS[f]);
    el.tabIndex = 0;
    el.addEventListener('click', () => toggleFeature(f));
    el.addEventListener('keydown', e => { if (e.key === 'Enter') toggleFeature(f); });
    paintFeature(el.querySelector('canvas'), f);
    return {el, feature: f, x: columnX(0, cols), y: i * GAP_Y};
  });
  layout.push(inputs);
  hidden.forEach((n, l) => {
    const x = columnX(l + 1, cols), col = [];
    for (let u = 0; u < n; u++) {
      const el = node(x, u * GAP_Y + 26, 'hidden');
      el.id = 'neuron-' + (l + 1) + '-' + (u + 1);
      el.setAttribute('aria-label', 'neuron ' + (u + 1) + ' of layer ' + (l + 1));
      hoverNeuron(el, l, u);
      col.push({el, x, y: u * GAP_Y + 26});
    }
    layout.push(col);
    const ctl = document.createElement('div');
    ctl.className = 'layer-controls';
    ctl.style.left = (x - 4) + 'px';
    ctl.innerHTML = '<button type="button" aria-label="Remove a neuron from layer ' + (l + 1) + '">&#x2212;</button>' +
      '<button type="button" aria-label="Add a neuron to layer ' + (l + 1) + '">+</button>';
    const [minus, plus] = ctl.querySelectorAll('button');
    minus.addEventListener('click', () => resize(l, -1));
    plus.addEventListener('click', () => resize(l, +1));
    net.appendChild(ctl);
  });
  const outs = run.classes && run.classes.length > 2 ? run.classes.length : 1, ox = columnX(cols - 1, cols), out = [];
  for (let u = 0; u < outs; u++) {
    const el = node(ox, u * GAP_Y + 26, 'output');
    el.id = 'output-' + (u + 1);
    el.setAttribute('aria-label', 'output ' + (u + 1));
    hoverNeuron(el, hidden.length, u);
    out.push({el, x: ox, y: u * GAP_Y + 26});
  }
  layout.push(out);
  const rows = Math.max(FEATURES.length, ...hidden.map(n => n + 1), outs + 1);
  net.style.height = (rows * GAP_Y + 10) + 'px';
  buildEdges();
}

function node(x, y, cls, label) {
  const el = document.createElement('div');
  el.className = 'neuron ' + cls;
  el.style.left = x + 'px';
  el.style.top = y + 'px';
  const c = document.createElement('canvas');
  c.width = c.height = 25;
  el.appendChild(c);
  if (label) {
    const s = document.createElement('span');
    s.className = 'name';
    s.textContent = label;
    el.appendChild(s);
  }
  $('network').appendChild(el);
  return el;
}

// paintFeature draws a feature over the plane, scaled to its largest
// magnitude there.
function paintFeature(canvas, f) {
  const n = 25, v = new Float64Array(n * n);
  let m = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const x1 = -6 + (j + 0.5) * 12 / n, x2 = 6 - (i + 0.5) * 12 / n;
    v[i * n + j] = FEATURE_FN[f](x1, x2);
    m = Math.max(m, Math.abs(v[i * n + j]));
  }
  const px = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) px[i] = toByte(v[i] / (m || 1));
  paint(canvas, px, n);
}

function toggleFeature(f) {
  let used = features();
  used = used.includes(f) ? used.filter(x => x !== f) : FEATURES.filter(x => used.includes(x) || x === f);
  if (!used.length) return; // a network needs an input
  change({features: used.join(',')});
}

function resize(layer, delta) {
  const h = hiddenSizes();
  h[layer] = Math.max(1, Math.min(MAX_NEURONS, h[layer] + delta));
  change({hidden: h.join(',')});
}

// Edges: one visible line per weight, drawn under the nodes, plus a wider
// transparent one to hover.
let edgeLines = [];

function buildEdges() {
  const svg = $('edges');
  svg.textContent = '';
  edgeLines = [];
  const used = features();
  const sources = [layout[0].filter(n => used.includes(n.feature))].concat(layout.slice(1, -1));
  for (let l = 0; l < layout.length - 1; l++) {
    const from = sources[l], to = layout[l + 1];
    from.forEach((a, i) => to.forEach((b, j) => {
      const x1 = a.x + CELL, y1 = a.y + CELL / 2, x2 = b.x, y2 = b.y + CELL / 2;
      const line = svgLine(x1, y1, x2, y2, 'edge');
      const hit = svgLine(x1, y1, x2, y2, 'hit');
      hit.addEventListener('mousemove', e => showEdge(e, l, i, j));
      hit.addEventListener('mouseleave', hideTooltip);
      edgeLines.push({line, l, i, j});
    }));
  }
}

function svgLine(x1, y1, x2, y2, cls) {
  const ln = document.createElementNS('http://www.w3.org/2000/svg', 'line');
  ln.setAttribute('x1', x1); ln.setAttribute('y1', y1); ln.setAttribute('x2', x2); ln.setAttribute('y2', y2);
  ln.setAttribute('class', cls);
  $('edges').appendChild(ln);
  return ln;
}

function drawEdges() {
  if (!frame.w) return;
  for (const e of edgeLines) {
    const w = frame.w[e.l] && frame.w[e.l][e.i] ? frame.w[e.l][e.i][e.j] : 0;
    const v = w === null ? 0 : w;
    e.line.setAttribute('stroke', v >= 0 ? '#0877bd' : '#f59322');
    e.line.setAttribute('stroke-width', Math.min(8, 0.5 + Math.abs(v) * 2).toFixed(2));
  }
}

function drawNeurons() {
  if (!layout) return;
  frame.neurons.forEach((units, l) => units.forEach((b64, u) => {
    const n = layout[l + 1] && layout[l + 1][u];
    if (n) paint(n.el.querySelector('canvas'), decode(b64), frame.thumb);
  }));
  // The output node shows the boundary itself, as drawBoundary rendered it.
  const pic = offscreen[frame.density];
  for (const n of layout[layout.length - 1]) if (pic) blit(n.el.querySelector('canvas'), pic.c);
}

// ---- hover and click ------------------------------------------------------

function showTooltip(e, text) {
  const t = $('tooltip');
  t.textContent = text;
  t.hidden = false;
  t.style.left = (e.clientX + 12) + 'px';
  t.style.top = (e.clientY + 12) + 'px';
}

function hideTooltip() { $('tooltip').hidden = true; }

function showEdge(e, l, i, j) {
  if (!frame || !frame.w[l]) return;
  const w = frame.w[l][i][j], g = frame.dw[l] ? frame.dw[l][i][j] : null;
  const from = l === 0 ? FEATURE_LABELS[features()[i]] : 'neuron ' + (i + 1) + ' of layer ' + l;
  const to = l + 1 === frame.w.length ? 'output ' + (j + 1) : 'neuron ' + (j + 1) + ' of layer ' + (l + 1);
  showTooltip(e, from + ' \u2192 ' + to + '\nw = ' + fmt(w) + '\n\u2202L/\u2202w = ' + fmt(g));
}

function hoverNeuron(el, l, u) {
  el.tabIndex = 0;
  el.addEventListener('mouseenter', () => {
    if (!frame) return;
    const card = $('hovercard'), r = el.getBoundingClientRect();
    const last = l === frame.w.length - 1;
    if (last) paint($('hover-canvas'), decode(frame.boundary), frame.density, {classes: run.classes ? run.classes.length : 0});
    else paint($('hover-canvas'), decode(frame.neurons[l][u]), frame.thumb);
    $('hover-text').textContent = 'b = ' + fmt(frame.b[l][u]) + '\n\u2202L/\u2202b = ' + fmt(frame.db[l] ? frame.db[l][u] : null);
    card.style.left = (r.right + 10) + 'px';
    card.style.top = Math.max(0, r.top - 80) + 'px';
    card.hidden = false;
  });
  el.addEventListener('mouseleave', () => { $('hovercard').hidden = true; });
  el.addEventListener('click', () => { selected = {layer: l, unit: u}; showFormula(l, u); });
  el.addEventListener('keydown', e => { if (e.key === 'Enter') { selected = {layer: l, unit: u}; showFormula(l, u); } });
}

const ACT = {
  relu: ['ReLU', z => Math.max(0, z)], tanh: ['tanh', Math.tanh], sigmoid: ['\u03c3', z => 1 / (1 + Math.exp(-z))], linear: ['', z => z],
};

// showFormula works out neuron u of layer l (from 0) for the first
// training point with the current weights.
function showFormula(l, u) {
  if (!frame || !run.train.length || !frame.w[l]) return;
  const p = run.train[0];
  let a = features().map(f => FEATURE_FN[f](p[0], p[1]));
  const names = features().map(f => FEATURE_LABELS[f]);
  let zs = [];
  for (let k = 0; k <= l; k++) {
    const W = frame.w[k], b = frame.b[k], units = b.length;
    zs = [];
    for (let j = 0; j < units; j++) {
      let z = b[j];
      for (let i = 0; i < a.length; i++) z += a[i] * W[i][j];
      zs.push(z);
    }
    if (k < l) a = zs.map(ACT[state.activation][1]);
  }
  const terms = a.map((v, i) => fmt(frame.w[l][i][u]) + '\u00b7' + fmt(v)).join(' + ');
  const last = l === frame.w.length - 1;
  let actName, out;
  if (!last) { actName = ACT[state.activation][0]; out = ACT[state.activation][1](zs[u]); }
  else if (!run.classes) { actName = ''; out = zs[u]; }
  else if (run.classes.length > 2) {
    const m = Math.max(...zs), ex = zs.map(z => Math.exp(z - m)), s = ex.reduce((x, y) => x + y, 0);
    actName = 'softmax'; out = ex[u] / s;
  } else if (state.loss === 'cross-entropy') { actName = '\u03c3'; out = ACT.sigmoid[1](zs[u]); }
  else { actName = 'tanh'; out = Math.tanh(zs[u]); }
  const who = last ? 'output ' + (u + 1) : 'neuron ' + (u + 1) + ' of layer ' + (l + 1);
  const inputs = l === 0 ? names.join(', ') : 'the activations of layer ' + l;
  $('formula').hidden = false;
  $('formula').textContent = who + ' on the first training point (' + fmt(p[0]) + ', ' + fmt(p[1]) + '); inputs ' + inputs + ':\n' +
    'z = ' + terms + ' + ' + fmt(frame.b[l][u]) + ' = ' + fmt(zs[u]) + '\n' +
    'a = ' + (actName ? actName + '(z)' : 'z') + ' = ' + fmt(out);
}

// ---- controls ---------------------------------------------------------------

async function togglePlay() {
  try {
    const r = await backend.play(!playing);
    playing = r.playing;
    turn = Math.max(turn, r.turn);
    syncControls();
  } catch (e) {
    showMessage(String(e.message || e));
  }
}

async function step() {
  try {
    playing = false;
    const r = await backend.step();
    drawFrame(r.frame);
    syncControls();
    if ($('trace').childElementCount) showTrace();
  } catch (e) {
    showMessage(String(e.message || e));
  }
}

async function showTrace() {
  try {
    if (playing) await togglePlay();
    $('trace').innerHTML = await backend.trace();
  } catch (e) {
    $('trace').textContent = String(e.message || e);
  }
}

function wire() {
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', step);
  $('reset').addEventListener('click', reset);
  for (const id of ['lr', 'activation', 'reg', 'regrate', 'problem', 'optimizer', 'loss']) {
    $(id).addEventListener('change', () => {
      const kv = {[id]: $(id).value};
      if (id === 'problem') kv.dataset = $(id).value === 'regression' ? 'plane' : 'circle';
      change(kv);
    });
  }
  for (const id of ['ratio', 'noise', 'batch']) {
    $(id).addEventListener('input', () => { $(id + '-value').textContent = $(id).value; });
    $(id).addEventListener('change', () => change({[id]: $(id).value}));
  }
  for (const id of ['seed', 'classes']) $(id).addEventListener('change', () => change({[id]: $(id).value}));
  for (const r of document.querySelectorAll('input[name=dataset]')) {
    r.addEventListener('change', () => {
      const kv = {dataset: r.value};
      if (r.value !== 'upload') kv.problem = r.value === 'plane' || r.value === 'multigauss' ? 'regression' : 'classification';
      change(kv);
    });
  }
  $('regenerate').addEventListener('click', () => change({seed: String((Number(state.seed) + 1) >>> 0)}));
  $('add-layer').addEventListener('click', () => {
    const h = hiddenSizes();
    if (h.length < MAX_HIDDEN) change({hidden: h.concat([2]).join(',')});
  });
  $('remove-layer').addEventListener('click', () => change({hidden: hiddenSizes().slice(0, -1).join(',')}));
  $('show-test').addEventListener('change', () => frame && drawBoundary());
  $('discretize').addEventListener('change', () => frame && drawBoundary());
  $('upload').addEventListener('change', async () => {
    const file = $('upload').files[0], err = $('upload-error');
    if (!file) return;
    try {
      await backend.upload(file);
      err.hidden = true;
      change({dataset: 'upload'});
    } catch (e) {
      err.textContent = String(e.message || e);
      err.hidden = false;
    }
  });
  $('download-data').href = backend.url('data.csv');
  $('download-model').href = backend.url('model.nerve');
  $('show-command').addEventListener('click', async () => {
    const pre = $('command');
    try { pre.textContent = await backend.command(); } catch (e) { pre.textContent = String(e.message || e); }
    pre.hidden = false;
  });
  $('step-mode').addEventListener('click', showTrace);
  window.addEventListener('hashchange', reset);
  document.addEventListener('keydown', e => {
    const t = e.target, tag = t.tagName;
    if (tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'INPUT' && t.type !== 'checkbox' && t.type !== 'radio' && t.type !== 'range') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === ' ') { e.preventDefault(); togglePlay(); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); step(); }
    else if (e.key === 'r') { e.preventDefault(); reset(); }
  });
  window.addEventListener('resize', () => { if (run) { buildNetwork(); if (frame) drawFrame(frame); } });
}

wire();
reset();
