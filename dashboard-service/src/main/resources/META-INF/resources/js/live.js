// Live grid: one WebSocket for frames (binary) and status (text JSON); see docs/dashboard.md.
import { api, fmtAgo, fmtBytesPerSec, fmtDuration, esc, signedIn, toSignIn, toast } from './common.js';
import { parseFrame } from './live-frame.js';
import { H264Tile } from './h264.js';
import { eventWords } from './review/words.js';
import { OfflineAlerts } from './live/alerts.js';
import { readRoute, writeRoute } from './live/route.js';
import { listGroups, GroupEditor } from './live/groups.js';

// frame-rate cap per grid tile: a few tiles get full rate, a wall of many small tiles less (0 = full rate);
// the single-camera view always gets full rate
const gridFps = (tiles) => (tiles <= 4 ? 0 : tiles <= 9 ? 15 : 10);
const grid = document.getElementById('grid');
const cameras = new Map();     // id -> { view, el, canvas, ... }
let ws = null;
let backoff = 500;
let clockOffset = 0;           // server time - browser time, ms, from the ping with the shortest round trip
let clockSamples = [];         // recent [round trip, offset] of pings
let lastHeard = 0;             // when the socket last brought anything (performance.now())
let pingTimer = null;
const PING_EVERY_MS = 2000;
const SERVER_LOST_AFTER_MS = 6000;
let staleAfterMs = 3000;
let selected = null;           // camera id shown alone, or null for the grid
let maxCameras = 64;           // most cameras the server lets one page watch (its hello says)
const visible = new Set();     // ids of tiles in (or near) the viewport
let subscribeTimer = null;
let lastSent = null;           // the subscription last sent, as JSON
const MAX_COLUMNS = 6;         // a wall of hundreds scrolls, rather than shrinking tiles to nothing
let groups = [];               // the saved camera groups (GET /api/groups), by name
let group = null;              // the group shown, or null for all cameras
let order = [];                // the cameras of the grid in the order shown (name, then id; or the group's list)
const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const alerts = new OfflineAlerts({ count: document.getElementById('offline'), sound: document.getElementById('sound'),
  notify: document.getElementById('notify') }, document.title);

// Only tiles on screen are watched: the server sends a camera's frames only while some page watches it.
const seen = new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (e.isIntersecting) visible.add(e.target.dataset.camera); else visible.delete(e.target.dataset.camera);
  }
  subscribeSoon();
}, { rootMargin: '100px' });
// a hidden tab watches nothing, and picks up again from a key frame when shown
document.addEventListener('visibilitychange', () => subscribeSoon());

const serverNow = () => Date.now() + clockOffset;

function connect() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/live';
  const socket = new WebSocket(url);
  ws = socket;
  lastHeard = performance.now();
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    backoff = 500; lastSent = null; lastHeard = performance.now();
    setConn(true); subscribe(); ping();
  };
  socket.onclose = () => lost(socket);
  socket.onmessage = (m) => {
    lastHeard = performance.now();
    if (typeof m.data === 'string') onText(JSON.parse(m.data)); else onFrame(m.data);
  };
}

/** The socket closed, or went silent: one banner, the header stops saying "live", and the page reconnects. */
async function lost(socket) {
  if (socket !== ws) return;   // an older socket, already replaced
  ws = null;
  socket.onclose = null;
  socket.onmessage = null;
  try { socket.close(); } catch { /* already closed */ }
  setConn(false);
  // a new socket starts each stream afresh at a key frame
  for (const cam of cameras.values()) { resetDecoder(cam); cam.stream = null; }
  // a refused upgrade looks like any other close to a page: ask whether the session ended
  if (!(await signedIn())) {
    toSignIn();
    return;
  }
  setTimeout(connect, backoff);
  backoff = Math.min(backoff * 2, 10000);
}

// Heartbeat: a ping every 2 s, answered at once by the server; frames count as signs of life too. A server that
// stays silent for 6 s (hung, or the network dropped) is given up on, whatever TCP thinks.
function ping() {
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  ws.send(JSON.stringify({ type: 'ping', t: Date.now() }));
}
pingTimer = setInterval(() => {
  if (!ws) return;
  // silent while open, or a handshake that never completes (a hung server accepts but never answers)
  const limit = ws.readyState === WebSocket.OPEN ? SERVER_LOST_AFTER_MS : 2 * SERVER_LOST_AFTER_MS;
  if (performance.now() - lastHeard > limit) { lost(ws); return; }
  ping();
}, PING_EVERY_MS);

/**
 * Clock offset from a pong (NTP-style: the server's time against the middle of the round trip). A pong queued behind
 * video has a long round trip; the shortest of the last 10 is the one least delayed, so its offset is used.
 */
function onPong(msg) {
  const now = Date.now();
  const rtt = now - msg.t;
  if (rtt < 0) return;
  clockSamples.push([rtt, msg.serverTime - (msg.t + now) / 2]);
  if (clockSamples.length > 10) clockSamples.shift();
  clockOffset = clockSamples.reduce((best, s) => (s[0] < best[0] ? s : best))[1];
}

function setConn(up) {
  const el = document.getElementById('conn');
  el.textContent = up ? 'live' : 'reconnecting…';
  el.className = 'conn ' + (up ? 'conn-up' : 'conn-down');
  document.getElementById('banner').hidden = up;
}

/** Subscribes after the current burst of changes (scrolling, a camera list arriving). */
function subscribeSoon() {
  if (subscribeTimer) return;
  subscribeTimer = setTimeout(() => { subscribeTimer = null; subscribe(); }, 50);
}

/** The cameras to watch now: the single view's camera, else the visible online tiles, at most maxCameras. */
function wantedCameras() {
  if (document.hidden) return [];
  if (selected !== null) return cameras.has(selected) ? [selected] : [];
  const ids = [];
  for (const cam of order) {   // in grid order; tiles of other groups are not shown, so never visible
    if (ids.length >= maxCameras) break;
    if (visible.has(cam.id) && cam.view.status && cam.view.status.online) ids.push(cam.id);
  }
  return ids;
}

function subscribe() {
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  const ids = wantedCameras();
  const wanted = {};
  for (const id of ids) {
    const cam = cameras.get(id);
    // grid tiles take a camera's substream where it has one; the single view its main stream
    const sub = selected === null && cam.view.status && cam.view.status.substream;
    if (selected !== null) wanted[id] = 0;
    else wanted[id] = sub ? { fps: gridFps(ids.length), stream: 'sub' } : gridFps(ids.length);
  }
  for (const [id, cam] of cameras) {
    const stream = !(id in wanted) ? null : typeof wanted[id] === 'object' ? 'sub' : 'main';
    // a stream the tile leaves or changes starts afresh from a key frame: the server sends one first
    if (cam.stream !== stream) {
      resetDecoder(cam);
      if (stream) cam.subscribedAt = performance.now();
    }
    cam.stream = stream;
  }
  const json = JSON.stringify({ type: 'subscribe', cameras: wanted });
  if (json === lastSent) return;
  lastSent = json;
  ws.send(json);
}

function onText(msg) {
  switch (msg.type) {
    case 'pong': onPong(msg); break;
    case 'hello': staleAfterMs = msg.staleAfterMs; if (msg.maxCameras) maxCameras = msg.maxCameras; break;
    case 'cameras': {
      const ids = new Set(msg.cameras.map((c) => c.cameraId));
      for (const id of [...cameras.keys()]) if (!ids.has(id)) removeTile(id);
      msg.cameras.forEach((c) => upsert(c));
      layout(); subscribeSoon(); renameEvents(); break;
    }
    case 'camera': {
      const old = cameras.get(msg.camera.cameraId);
      const was = old && old.view.status;
      const now = msg.camera.status;
      upsert(msg.camera);
      // a new camera, or a new name, may move the tile
      if (!old || (was && was.name) !== (now && now.name)) layout();
      // what to watch changes when a camera comes or goes, or gains or loses its substream
      if (!old || !!(was && was.online) !== !!(now && now.online) || !!(was && was.substream) !== !!(now && now.substream)) {
        summary(); subscribeSoon();
      }
      break;
    }
    case 'camera-removed': removeTile(msg.cameraId); layout(); subscribeSoon(); break;
    case 'event': addEvent(msg.event); break;
    case 'error': toast('Server: ' + msg.message); break;
  }
}

function onFrame(buf) {
  const frame = parseFrame(buf);
  if (!frame) return;
  const cam = cameras.get(frame.cameraId);
  // frames still on their way from a stream this tile has left are not its picture
  if (!cam || cam.stream === null || frame.substream !== (cam.stream === 'sub')) return;
  const bytes = frame.data.byteLength;
  cam.window.push([Date.now(), bytes]);
  if (frame.codec === 'h264') {
    if (!cam.h264) {
      cam.h264 = new H264Tile(cam.canvas, (captureUs) => painted(cam, captureUs),
        (note) => { cam.decodeNote = note; render(cam); });
    }
    cam.h264.push(frame);
    return;
  }
  resetDecoder(cam);
  const blob = new Blob([frame.data], { type: 'image/jpeg' });
  createImageBitmap(blob).then((bmp) => {
    if (cam.canvas.width !== bmp.width || cam.canvas.height !== bmp.height) {
      cam.canvas.width = bmp.width; cam.canvas.height = bmp.height;
    }
    cam.canvas.getContext('2d').drawImage(bmp, 0, 0);
    bmp.close();
    painted(cam, frame.captureUs);
  }).catch(() => { /* a corrupt JPEG is skipped, the next one will draw */ });
}

/** A picture is on the tile: capture (camera clock) to now (server clock) is the latency shown. */
function painted(cam, captureUs) {
  const now = Date.now();
  cam.lastFrameAt = now;
  if (cam.paints++ === 0) cam.firstPaintAt = performance.now();
  cam.latency = serverNow() - captureUs / 1000;
  // the recent latencies, for operators' scripts and the latency benchmark (docs/benchmarks.md)
  cam.latencies.push(cam.latency);
  if (cam.latencies.length > 2000) cam.latencies.splice(0, 1000);
  render(cam);
}

function resetDecoder(cam) {
  if (cam.h264) {
    cam.h264.close();
    cam.h264 = null;
  }
}

function upsert(view) {
  let cam = cameras.get(view.cameraId);
  const wasOnline = !!(cam && cam.view.status && cam.view.status.online);
  if (!cam) {
    cam = { id: view.cameraId, window: [], lastFrameAt: 0, latency: null, latencies: [], paints: 0, h264: null, stream: null,
      decodeNote: null };
    const el = document.createElement('article');
    el.className = 'tile';
    el.dataset.camera = view.cameraId;
    // reachable by keyboard: Tab to it, Enter opens (or leaves) its single view
    el.tabIndex = 0;
    // the name and the figures sit above and below the picture, never over its corners (the camera's clock is there)
    el.innerHTML = `<div class="top"><span class="name"></span><span class="badge"></span><span class="rec-badge"></span>
        <span class="seen"></span><span class="skew"></span></div>
      <div class="picture"><canvas width="320" height="180"></canvas><div class="stale-note"></div></div>
      <div class="bottom"><span class="stats"></span>
        <span class="actions"><button type="button" class="record">● Rec</button>
        <a class="snapshot" download title="The newest picture, from the server">Snapshot</a>
        <button type="button" class="save" title="Save the picture shown here">Save</button>
        <button type="button" class="full" title="This camera full screen">Full screen</button>
        <button type="button" class="forget" title="Remove this offline camera from the registry and the grid">Forget</button></span></div>`;
    cam.el = el;
    cam.canvas = el.querySelector('canvas');
    el.addEventListener('click', (e) => { if (!e.target.closest('.actions')) toggleSingle(cam.id); });
    el.addEventListener('keydown', (e) => {
      if (e.target === el && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggleSingle(cam.id); }
    });
    el.querySelector('.full').addEventListener('click', () => fullScreen(cam.id));
    el.querySelector('.record').addEventListener('click', () => toggleRecording(cam));
    el.querySelector('.save').addEventListener('click', () => savePicture(cam));
    el.querySelector('.forget').addEventListener('click', () => forget(cam));
    el.querySelector('.snapshot').href = `/api/cameras/${encodeURIComponent(cam.id)}/snapshot.jpg`;
    el.querySelector('.snapshot').setAttribute('download', cam.id + '.jpg');
    grid.appendChild(el);
    cameras.set(cam.id, cam);
    seen.observe(el);
  }
  cam.view = view;
  const online = !!(view.status && view.status.online);
  if (wasOnline && !online && shown(cam)) {
    const s = view.status || {};
    alerts.dropped(cam.id, s.name || cam.id,
      eventWords({ type: 'disconnected', cameraId: cam.id, reason: s.disconnectReason }, s.name || cam.id));
  }
  if (online) alerts.back(cam.id);
  render(cam);
}

/** Removes an offline camera from the registry (DELETE /api/cameras/{id}); the server then pushes camera-removed. */
async function forget(cam) {
  const why = {
    404: 'the server does not know this camera, or cannot forget cameras',
    405: 'this server cannot forget cameras',
    409: 'it is online: only an offline camera can be forgotten',
    503: 'no ingest service answered; try again',
  };
  try {
    // JSON content type without a body: state-changing API requests must declare JSON
    await api(`/api/cameras/${encodeURIComponent(cam.id)}`,
      { method: 'DELETE', headers: { 'Content-Type': 'application/json' } });
    removeTile(cam.id); layout(); subscribeSoon();
  } catch (e) {
    toast(`Could not forget ${cam.id}: ${why[e.status] || e.message}`);
  }
}

function savePicture(cam) {
  cam.canvas.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${cam.id}_${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }, 'image/png');
}

function removeTile(id) {
  const cam = cameras.get(id);
  if (!cam) return;
  resetDecoder(cam);
  seen.unobserve(cam.el);
  visible.delete(id);
  cam.el.remove();
  cameras.delete(id);
  alerts.back(id);
  if (selected === id) selected = null;
}

/** Whether the camera belongs to what is shown: every camera, or the chosen group's. */
function shown(cam) {
  return group === null || group.cameras.includes(cam.id);
}

/** The shown cameras in grid order: by name (then id, numbers in names counted as numbers), or as the group lists them. */
function ordered() {
  const list = [...cameras.values()].filter(shown);
  const nameOf = (c) => (c.view.status && c.view.status.name) || c.id;
  if (group && group.order === 'listed') {
    const at = new Map(group.cameras.map((id, i) => [id, i]));
    list.sort((a, b) => at.get(a.id) - at.get(b.id));
  } else {
    list.sort((a, b) => byName.compare(nameOf(a), nameOf(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return list;
}

function layout() {
  order = ordered();
  const inView = new Set(order);
  // move only the tiles out of place, so that a stable grid is not rebuilt
  let prev = document.getElementById('empty');
  for (const cam of order) {
    if (prev.nextElementSibling !== cam.el) prev.after(cam.el);
    prev = cam.el;
  }
  for (const cam of cameras.values()) cam.el.classList.toggle('other-group', !inView.has(cam));
  const n = order.length;
  const empty = document.getElementById('empty');
  const missing = selected !== null && !cameras.has(selected);
  empty.hidden = n > 0 && !missing;
  empty.textContent = missing ? `Camera ${selected} is not known (yet). Press Escape for the grid.`
    : group ? `No camera of the group “${group.name}” is known yet.`
      : 'No cameras yet. They appear here as soon as they connect.';
  const cols = group && group.columns > 0 ? group.columns : Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(n))));
  grid.style.setProperty('--cols', String(cols));
  grid.classList.toggle('single', selected !== null);
  document.body.classList.toggle('single-view', selected !== null);
  for (const cam of cameras.values()) cam.el.classList.toggle('selected', cam.id === selected);
  summary();
}

/** Opens the camera alone, or back to the grid (id null, or the camera shown alone). */
function toggleSingle(id) {
  const leaving = selected;
  selected = id === null || selected === id ? null : id;
  writeRoute({ group: group && group.id, camera: selected });
  layout(); subscribe();
  if (selected === null && leaving && cameras.has(leaving)) {
    const el = cameras.get(leaving).el;
    el.scrollIntoView({ block: 'nearest' });
    el.focus({ preventScroll: true });
  }
}

/** The single view of a camera (or the grid, id null) full screen, with the Fullscreen API. */
function fullScreen(id) {
  if (document.fullscreenElement) { document.exitFullscreen().catch(() => {}); return; }
  if (id !== null && selected !== id) toggleSingle(id);
  const target = id !== null && cameras.has(id) ? cameras.get(id).el : document.querySelector('main.live');
  if (target.requestFullscreen) target.requestFullscreen().catch((e) => toast('Full screen refused: ' + e.message));
}

function summary() {
  let online = 0;
  const offline = [];
  for (const c of order) {
    if (c.view.status && c.view.status.online) online++;
    else offline.push({ id: c.id, name: (c.view.status && c.view.status.name) || c.id });
  }
  document.getElementById('summary').textContent = `${online} / ${order.length} online`;
  alerts.update(offline);
}

// --- groups, the URL and the keys ---

const picker = document.getElementById('group');
const editButton = document.getElementById('edit-group');
const editor = new GroupEditor(document.getElementById('group-editor'), {
  onSaved: (saved) => { groups = groups.filter((g) => g.id !== saved.id).concat(saved); showGroups(); showGroup(saved.id); },
  onDeleted: (id) => { groups = groups.filter((g) => g.id !== id); showGroups(); showGroup(null); },
});

function showGroups() {
  groups.sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
  const options = [new Option('All cameras', '')];
  for (const g of groups) options.push(new Option(g.name, g.id));
  picker.replaceChildren(...options);
  picker.value = group ? group.id : '';
}

/** Shows a group (null: all cameras), in the URL as well unless it came from there. */
function showGroup(id, fromUrl = false) {
  group = (id && groups.find((g) => g.id === id)) || null;
  if (id && !group) toast(`There is no group “${id}” (any more): showing all cameras`);
  picker.value = group ? group.id : '';
  editButton.hidden = !group;
  if (selected !== null && cameras.has(selected) && !shown(cameras.get(selected))) selected = null;
  if (!fromUrl) writeRoute({ group: group && group.id, camera: selected });
  layout(); subscribeSoon();
}

function applyRoute() {
  const r = readRoute();
  selected = r.camera;
  showGroup(r.group, true);
  subscribe();
}

/** Reads the groups; when they changed (here or on another browser), the picker and the group shown follow. */
async function loadGroups(quiet = false) {
  let fresh;
  try {
    fresh = await listGroups();
  } catch (e) {
    if (!quiet && e.status !== 401) toast('Could not load the camera groups: ' + e.message);
    return;
  }
  if (JSON.stringify(fresh) === JSON.stringify(groups)) return;
  groups = fresh;
  showGroups();
  if (group) {
    // the group shown was edited or deleted elsewhere
    group = groups.find((g) => g.id === group.id) || null;
    if (!group) showGroup(null); else { layout(); subscribeSoon(); }
  }
}

picker.addEventListener('change', () => { selected = null; showGroup(picker.value || null); });
// another browser may have changed the groups: read them again when the picker is opened
picker.addEventListener('focus', () => loadGroups(true));
// and a wall display, that nobody touches, picks up edited layouts within a minute
setInterval(() => loadGroups(true), 60000);
editButton.addEventListener('click', () => group && editor.open(group, cameraChoices(), new Set(groups.map((g) => g.id))));
document.getElementById('new-group').addEventListener('click',
  () => editor.open(null, cameraChoices(), new Set(groups.map((g) => g.id))));
document.getElementById('fullscreen').addEventListener('click', () => fullScreen(selected));
window.addEventListener('popstate', applyRoute);
window.addEventListener('hashchange', applyRoute);
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.target.closest('input, select, textarea, dialog') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'Escape' && selected !== null && !document.fullscreenElement) { e.preventDefault(); toggleSingle(null); }
  if (e.key === 'f' || e.key === 'F') fullScreen(selected);
});

function cameraChoices() {
  return [...cameras.values()].map((c) => ({ id: c.id, name: (c.view.status && c.view.status.name) || c.id }))
    .sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

function render(cam) {
  const s = cam.view.status || {};
  const rec = cam.view.recording;
  const now = Date.now();
  cam.window = cam.window.filter(([t]) => now - t <= 2000);
  const online = !!s.online;
  const frameAge = cam.lastFrameAt ? now - cam.lastFrameAt : Infinity;
  const stale = !online || frameAge > staleAfterMs;
  const el = cam.el;
  el.classList.toggle('stale', stale);
  el.classList.toggle('offline', !online);
  el.querySelector('.name').textContent = s.name || cam.id;
  const badge = el.querySelector('.badge');
  badge.textContent = online ? 'ONLINE' : 'OFFLINE';
  badge.className = 'badge ' + (online ? 'online' : 'offline');
  // "last seen": when the registry last heard of the camera (ingest's clock), never when this page drew
  const seenAt = Math.max(Date.parse(s.lastFrameAt || '') || 0, Date.parse(s.lastSeen || '') || 0);
  const seenText = seenAt ? 'last seen ' + fmtAgo(serverNow() - seenAt) : 'never seen';
  el.querySelector('.seen').textContent = stale ? seenText : '';
  el.querySelector('.stale-note').textContent = !online ? 'OFFLINE · ' + seenText
    : cam.decodeNote ? cam.decodeNote : 'NO SIGNAL · ' + seenText;
  // the registry's measure of the camera's clock against the server's (ingest): a wrong clock is shown
  const skew = el.querySelector('.skew');
  const offset = s.clockOffsetMs;
  skew.textContent = s.clockSkewed && offset != null
    ? `camera clock ${(Math.abs(offset) / 1000).toFixed(1)} s ${offset > 0 ? 'ahead' : 'behind'}` : '';
  skew.title = offset != null ? `camera clock minus server clock: ${offset} ms` : '';
  const recording = rec && rec.recording;
  const recBadge = el.querySelector('.rec-badge');
  // nothing is written while the camera is offline: the badge says so instead of counting on
  recBadge.className = 'rec-badge' + (recording ? (online ? ' badge rec' : ' badge rec-paused') : '');
  recBadge.textContent = !recording ? '' : online ? 'REC ' + fmtDuration(serverNow() - Date.parse(rec.since))
    : 'REC paused — camera offline';
  const btn = el.querySelector('.record');
  btn.textContent = recording ? '■ Stop' : '● Rec';
  btn.classList.toggle('recording', !!recording);
  const frames = cam.window.length;
  const bytes = cam.window.reduce((a, [, b]) => a + b, 0);
  const span = frames > 1 ? (cam.window[frames - 1][0] - cam.window[0][0]) / 1000 : 0;
  const fps = span > 0 ? (frames - 1) / span : 0;
  const parts = [];
  if (!stale) {
    parts.push(`${fps.toFixed(1)} fps`, fmtBytesPerSec(span > 0 ? bytes / span : 0));
    if (cam.latency !== null) parts.push(`${Math.max(0, Math.round(cam.latency))} ms`);
  }
  if (s.width) parts.push(`${s.width}×${s.height}`);
  el.querySelector('.stats').textContent = parts.join(' · ');
}

async function toggleRecording(cam) {
  const action = cam.view.recording && cam.view.recording.recording ? 'stop' : 'start';
  try {
    const reply = await api(`/api/cameras/${encodeURIComponent(cam.id)}/recording`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action }) });
    cam.view.recording = { cameraId: cam.id, recording: reply.recording, since: reply.since };
    render(cam);
  } catch (e) {
    // a command that timed out carries a deadline: the recorder will not carry it out later
    toast(`Recording ${action} for ${cam.id} failed: ${e.message}` + (e.status === 503 ? ' (it will not happen later)' : ''));
  }
}

const events = document.getElementById('events');
const shownEvents = new WeakMap();   // list item -> its event, so that names arriving later can be put in

/** The camera's name as the registry has it, else as the event carries it, else its id. */
function nameOf(ev) {
  const cam = cameras.get(ev.cameraId);
  return (cam && cam.view.status && cam.view.status.name) || ev.name || ev.cameraId;
}

// the same words as the review page: "Front door went offline (connection lost)"
function eventText(li, ev) {
  li.querySelector('.what').textContent = eventWords(ev, nameOf(ev));
}

function addEvent(ev, atEnd = false) {
  const li = document.createElement('li');
  li.className = 'ev-' + ev.type;
  li.title = ev.cameraId + (ev.message ? ': ' + ev.message : '');
  const t = new Date(ev.time);
  li.innerHTML = `<time>${esc(t.toLocaleTimeString())}</time><span class="what"></span>`;
  eventText(li, ev);
  shownEvents.set(li, ev);
  if (atEnd) events.appendChild(li); else events.prepend(li);
  while (events.children.length > 200) events.lastChild.remove();
}

function renameEvents() {
  for (const li of events.children) eventText(li, shownEvents.get(li));
}

setInterval(() => { for (const c of cameras.values()) render(c); summary(); }, 500);
// the groups first, so that a reload opens the group and camera its URL names before any tile subscribes
loadGroups().finally(() => {
  applyRoute();
  api('/api/events?limit=50').then((list) => list.forEach((e) => addEvent(e, true))).catch(() => {});
  connect();
});

// for operators' scripts and tests: the page's view of the cameras
window.cctv = {
  cameras, selectCamera: toggleSingle, subscribedAt: (id) => cameras.get(id).subscribedAt,
  clockOffset: () => clockOffset, group: () => group && group.id, selected: () => selected,
  beeps: () => alerts.beeps, audioState: () => alerts.audio && alerts.audio.state,
};
