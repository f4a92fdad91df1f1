// The review page: a day timeline of every camera (spans, gaps, event marks, thumbnails), a player that plays from
// any moment across segments, export of a selected range, snapshots, keep and delete, storage, events, a sync view
// of 2–4 cameras. Everything goes through the dashboard to the recorder (/api/timeline, /api/recordings, /api/exports,
// /api/storage) and to the event history (/api/events).
import { api, esc, fmtBytes } from './common.js';
import { SegmentPlayer } from './review/player.js';
import { Timeline, place } from './review/timeline.js';
import { zone, localDay, clock, dateTime, fileTime, eventWords, EVENT_TYPES, fmtDays } from './review/words.js';

const $ = (id) => document.getElementById(id);
const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16];
const state = { day: null, lines: [], events: [], names: {}, namesLoaded: null, camera: null, players: [], sync: false,
  range: null, job: null };

function say(text) { $('message').textContent = text; $('message').hidden = !text; }

/** Start and end (ms) of a local day "yyyy-mm-dd" in the browser's zone. */
function dayBounds(day) {
  const [y, m, d] = day.split('-').map(Number);
  return [new Date(y, m - 1, d).getTime(), new Date(y, m - 1, d + 1).getTime()];
}

const timeline = new Timeline($('timeline'), {
  seek: (ms, cameraId, final) => {
    if (cameraId !== state.camera && !state.sync) selectCamera(cameraId);
    $('clock').textContent = clock(ms, false);
    if (final) playAt(ms);
  },
  select: (a, b, cameraId) => {
    if (cameraId !== state.camera && !state.sync) selectCamera(cameraId);
    state.range = [a, b];
    $('selection').hidden = false;
    $('selection-text').textContent = `${state.names[state.camera] || state.camera}: ${dateTime(a)} – ${clock(b, false)}`;
  },
});

async function loadNames() {
  try {
    for (const c of await api('/api/cameras')) state.names[c.cameraId] = (c.status && c.status.name) || c.cameraId;
  } catch { /* ids stand in for names */ }
}

async function loadDay(day) {
  state.day = day;
  $('day').value = day;
  const [a, b] = dayBounds(day);
  timeline.setDay(a, b);
  const from = new Date(a).toISOString();
  const to = new Date(b).toISOString();
  const events = api(`/api/events?from=${from}&to=${to}&limit=1000`).catch(() => []); // asked at the same time
  try {
    const t = await api(`/api/timeline?from=${from}&to=${to}`);
    state.lines = t.cameras;
  } catch (e) {
    state.lines = [];
    say(e.status === 503 ? 'The recorder is not reachable right now: ' + e.message : 'Cannot load the timeline: ' + e.message);
  }
  state.events = await events;
  await state.namesLoaded;
  for (const l of state.lines) if (!(l.cameraId in state.names)) state.names[l.cameraId] = l.cameraId;
  if (!state.camera || !state.lines.some((l) => l.cameraId === state.camera)) {
    state.camera = state.lines.length ? state.lines[0].cameraId : state.camera;
  }
  timeline.selected = state.camera;
  timeline.setData(state.lines, state.events, state.names);
  renderEvents();
  buildPlayers();
}

function selectCamera(id) {
  state.camera = id;
  timeline.selected = id;
  timeline.render();
  if (!state.sync) buildPlayers();
}

/** One player, or 2–4 in the sync view (the selected camera first, then the next ones of the day). */
function buildPlayers() {
  const keepAt = state.players[0] && state.players[0].wallTime();
  state.players.forEach((p) => p.stop());
  const box = $('players');
  box.innerHTML = '';
  box.classList.toggle('sync', state.sync);
  const ids = state.lines.map((l) => l.cameraId);
  let cams = state.camera ? [state.camera] : [];
  if (state.sync) cams = [state.camera, ...ids.filter((c) => c !== state.camera)].filter(Boolean).slice(0, 4);
  state.players = cams.map((cam, i) => {
    const el = document.createElement('div');
    el.className = 'player-box';
    el.dataset.camera = cam;
    el.innerHTML = `<div class="label">${esc(state.names[cam] || cam)}<span class="wall"></span></div><div class="note"></div>`;
    box.appendChild(el);
    const p = new SegmentPlayer(el, cam, () => onState(p, el, i === 0));
    return p;
  });
  if (keepAt) playAt(keepAt, false);
}

function onState(p, el, main) {
  const t = p.wallTime();
  el.querySelector('.wall').textContent = t ? clock(t) : '';
  el.querySelector('.note').textContent = p.message || '';
  if (!main) return;
  $('clock').textContent = t ? clock(t) : '—';
  $('play').textContent = p.playing ? '❚❚' : '▶';
  if (t) timeline.setPlayhead(t);
  const r = p.current;
  $('download').hidden = !r;
  $('keep').hidden = !r || r.open;
  $('delete').hidden = !r || r.open;
  if (r) {
    $('download').href = `/api/recordings/${encodeURIComponent(r.id)}/file`;
    $('download').setAttribute('download', `${r.cameraId}_${fileTime(Date.parse(r.start))}.${r.contentType === 'video/mp4' ? 'mp4' : 'mkv'}`);
    $('keep').setAttribute('aria-pressed', String(!!r.kept));
    $('keep').textContent = r.kept ? 'Kept ✓' : 'Keep';
    $('player-note').textContent = r.contentType === 'video/mp4' ? ''
      : 'JPEG recording: drawn frame by frame from the recorder; above 4× frames are skipped';
  }
}

/**
 * Plays every player from the wall-clock moment {@code ms}; resolves when the first picture is on screen.
 * {@code toEnd}: the last picture of the segment that holds it.
 */
async function playAt(ms, play = true, toEnd = false) {
  timeline.setPlayhead(ms);
  await Promise.all(state.players.map((p) => p.playAt(ms, play, toEnd).catch((e) => p.fail(e.message))));
}

function main() { return state.players[0]; }

// sync view: the others follow the first one's wall clock
setInterval(() => {
  if (!state.sync || state.players.length < 2) return;
  const lead = main();
  const t = lead.wallTime();
  if (t == null || !lead.playing) return;
  for (const p of state.players.slice(1)) {
    const w = p.wallTime();
    if (p.speed !== lead.speed) p.setSpeed(lead.speed);
    if (w == null || Math.abs(w - t) > 250) p.seekWall(t).then(() => { if (lead.playing) p.play(); });
  }
}, 500);

// controls
$('play').addEventListener('click', () => { const p = main(); if (!p) return; const on = !p.playing; state.players.forEach((x) => (on ? x.play() : x.pause())); });
$('step-back').addEventListener('click', () => state.players.forEach((p) => p.step(-1)));
$('step-fwd').addEventListener('click', () => state.players.forEach((p) => p.step(1)));
$('speed').addEventListener('change', () => state.players.forEach((p) => p.setSpeed(Number($('speed').value))));
$('fullscreen').addEventListener('click', () => {
  const el = state.sync ? $('players') : $('players').firstElementChild;
  if (document.fullscreenElement) document.exitFullscreen(); else if (el) el.requestFullscreen().catch(() => {});
});
$('snapshot').addEventListener('click', () => snapshot());
$('prev-day').addEventListener('click', () => loadDay(shiftDay(-1)));
$('next-day').addEventListener('click', () => loadDay(shiftDay(1)));
$('day').addEventListener('change', () => $('day').value && loadDay($('day').value));
$('now').addEventListener('click', async () => {
  await loadDay(localDay(Date.now()));
  timeline.zoom(3600_000 / timeline.span(), Date.now() - 1800_000);
  playAt(Date.now() - 10_000);
});
$('zoom-in').addEventListener('click', () => timeline.zoom(0.25));
$('zoom-out').addEventListener('click', () => timeline.zoom(4));
$('pan-left').addEventListener('click', () => timeline.pan(-0.5));
$('pan-right').addEventListener('click', () => timeline.pan(0.5));
$('select-mode').addEventListener('click', () => {
  timeline.selectMode = !timeline.selectMode;
  $('select-mode').setAttribute('aria-pressed', String(timeline.selectMode));
});
$('sync').addEventListener('change', () => { state.sync = $('sync').checked; buildPlayers(); });
$('clear-selection').addEventListener('click', clearSelection);
$('export').addEventListener('click', () => exportRange());
$('export-cancel').addEventListener('click', () => cancelExport());
$('delete-range').addEventListener('click', () => deleteRange());
$('keep').addEventListener('click', () => toggleKeep());
$('delete').addEventListener('click', () => deleteCurrent());

function shiftDay(n) {
  const [a] = dayBounds(state.day);
  return localDay(a + n * 86400_000 + 3600_000 * 12);
}

function clearSelection() {
  state.range = null;
  timeline.setRange(null);
  $('selection').hidden = true;
}

document.addEventListener('keydown', (e) => {
  if (e.target.matches('input, select, textarea')) return;
  const p = main();
  const k = e.key;
  if (k === ' ') { e.preventDefault(); $('play').click(); }
  else if (k === ',') $('step-back').click();
  else if (k === '.') $('step-fwd').click();
  else if (k === 'ArrowLeft' && p && p.wallTime()) { e.preventDefault(); playAt(p.wallTime() - 10_000, p.playing); }
  else if (k === 'ArrowRight' && p && p.wallTime()) { e.preventDefault(); playAt(p.wallTime() + 10_000, p.playing); }
  else if (k === '[' || k === ']') {
    const i = SPEEDS.indexOf(Number($('speed').value));
    const j = Math.max(0, Math.min(SPEEDS.length - 1, i + (k === ']' ? 1 : -1)));
    $('speed').value = String(SPEEDS[j]);
    $('speed').dispatchEvent(new Event('change'));
  } else if (k === '+' || k === '=') timeline.zoom(0.25);
  else if (k === '-') timeline.zoom(4);
  else if (k === 's') snapshot();
  else if (k === 'f') $('fullscreen').click();
});

/** The frame on screen as a JPEG named after camera and time, downloaded; resolves with the blob. */
function snapshot(download = true) {
  const p = main();
  const c = p && p.frameCanvas();
  if (!c || !c.width) return Promise.resolve(null);
  return new Promise((resolve) => c.toBlob((blob) => {
    if (download && blob) {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${p.cameraId}_${fileTime(p.wallTime())}.jpg`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }
    resolve(blob);
  }, 'image/jpeg', 0.92));
}

async function exportRange() {
  if (!state.range) return;
  const [a, b] = state.range;
  const cam = state.camera;
  $('export-progress').hidden = false;
  $('export-text').textContent = 'starting…';
  try {
    const job = await api('/api/exports', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cameraId: cam, from: new Date(a).toISOString(), to: new Date(b).toISOString() }) });
    state.job = job.id;
    for (;;) {
      const j = await api(`/api/exports/${job.id}`);
      $('export-bar').value = j.progress;
      $('export-text').textContent = `${Math.round(j.progress * 100)} %`;
      if (j.state === 'done') {
        const link = document.createElement('a');
        link.href = j.file;
        link.download = `${cam}_${fileTime(a)}_${fileTime(b)}.mp4`;
        link.className = 'button export-file';
        link.textContent = `Download ${link.download} (${fmtBytes(j.bytes)})`;
        $('export-text').replaceChildren(link);
        link.click();
        break;
      }
      if (j.state !== 'running') { $('export-text').textContent = j.state === 'cancelled' ? 'cancelled' : `failed: ${j.error}`; break; }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    $('export-text').textContent = 'export failed: ' + e.message;
  } finally {
    state.job = null;
  }
}

async function cancelExport() {
  if (!state.job) return;
  await fetch(`/api/exports/${state.job}`, { method: 'DELETE' });
}

async function deleteRange() {
  if (!state.range) return;
  const [a, b] = state.range;
  if (!confirm(`Delete the recordings of ${state.names[state.camera]} wholly between ${dateTime(a)} and ${dateTime(b)}? This cannot be undone.`)) return;
  try {
    const r = await api(`/api/recordings?camera=${encodeURIComponent(state.camera)}&from=${new Date(a).toISOString()}&to=${new Date(b).toISOString()}`, { method: 'DELETE' });
    say(`Deleted ${r.deleted.length} recording(s)` + (r.skipped.length ? `; left ${r.skipped.length} (kept, being written, or only partly in the range)` : '') + '.');
  } catch (e) { say('Cannot delete: ' + e.message); }
  clearSelection();
  loadDay(state.day);
  loadStorage();
}

async function deleteCurrent() {
  const r = main() && main().current;
  if (!r || !confirm(`Delete the recording of ${state.names[r.cameraId] || r.cameraId} from ${dateTime(Date.parse(r.start))}? This cannot be undone.`)) return;
  try {
    await api(`/api/recordings/${encodeURIComponent(r.id)}`, { method: 'DELETE' });
    say(`Deleted the recording from ${dateTime(Date.parse(r.start))}.`);
    main().stop();
    main().current = null;
  } catch (e) { say('Cannot delete: ' + e.message); }
  loadDay(state.day);
  loadStorage();
}

async function toggleKeep() {
  const p = main();
  const r = p && p.current;
  if (!r) return;
  try {
    const updated = await api(`/api/recordings/${encodeURIComponent(r.id)}/keep`, { method: 'PUT',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keep: !r.kept }) });
    // the player may have moved on to another recording while the answer was on its way
    if (p.current && p.current.id === updated.id) p.current = updated;
    onState(p, $('players').firstElementChild, true);
    loadStorage();
  } catch (e) { say('Cannot change: ' + e.message); }
}

async function loadStorage() {
  try {
    const s = await api('/api/storage');
    const used = s.totalBytes - s.usableBytes;
    const ret = s.retention;
    const rules = [ret.maxAgeSeconds ? `${Math.round(ret.maxAgeSeconds / 86400)} days` : 'no age limit',
      ret.maxBytes ? `at most ${fmtBytes(ret.maxBytes)}` : null, ret.minFreeBytes ? `${fmtBytes(ret.minFreeBytes)} kept free` : null]
      .filter(Boolean).join(', ');
    const per = s.cameras.map((c) => `${esc(state.names[c.cameraId] || c.cameraId)} ${fmtBytes(c.bytes)}`).join(' · ');
    $('storage').innerHTML = `<span class="meter" title="disk used"><span data-width="${Math.round(used / s.totalBytes * 100)}"></span></span>
      <span>Recordings ${fmtBytes(s.recordingsBytes)}${s.keptBytes ? ` (${fmtBytes(s.keptBytes)} kept)` : ''} · free ${fmtBytes(s.usableBytes)} of ${fmtBytes(s.totalBytes)}</span>
      <span>Retention: ${esc(rules)}</span>
      <span>At ${fmtBytes(s.bytesPerDay)}/day the disk holds ${fmtDays(s.daysHeld)}</span>
      <span class="per-camera">${per}</span>
      ${s.warning ? `<span class="warn">⚠ ${esc(s.warning)}</span>` : ''}`;
    place($('storage'));
  } catch { $('storage').textContent = ''; }
}

function renderEvents() {
  const cam = $('ev-camera').value;
  const type = $('ev-type').value;
  const [a] = dayBounds(state.day);
  const bound = (v) => { if (!v) return null; const [h, m] = v.split(':').map(Number); return a + (h * 60 + m) * 60_000; };
  const from = bound($('ev-from').value);
  const to = bound($('ev-to').value);
  const list = state.events.filter((e) => (!cam || e.cameraId === cam) && (!type || e.type === type))
    .filter((e) => { const t = Date.parse(e.time); return (from == null || t >= from) && (to == null || t < to); });
  $('event-list').innerHTML = list.map((e) => `<li class="ev-${esc(e.type)}" data-time="${esc(e.time)}" data-camera="${esc(e.cameraId)}">
    <time>${esc(clock(Date.parse(e.time), false))}</time>${esc(eventWords(e, state.names[e.cameraId]))}</li>`).join('')
    || '<li class="empty">No events.</li>';
  const sel = $('ev-camera');
  const known = new Set([...sel.options].map((o) => o.value));
  for (const id of Object.keys(state.names)) {
    if (!known.has(id)) { const o = document.createElement('option'); o.value = id; o.textContent = state.names[id]; sel.appendChild(o); }
  }
}

for (const [t, words] of Object.entries(EVENT_TYPES)) {
  const o = document.createElement('option');
  o.value = t;
  o.textContent = words;
  $('ev-type').appendChild(o);
}
$('event-filter').addEventListener('input', renderEvents);
$('event-list').addEventListener('click', (e) => {
  const li = e.target.closest('li[data-time]');
  if (!li) return;
  if (li.dataset.camera !== state.camera) selectCamera(li.dataset.camera);
  const t = Date.parse(li.dataset.time);
  timeline.zoom(3600_000 / timeline.span(), t);
  playAt(t);
});

// for scripts and tests: the page's own actions
window.review = { playAt, snapshot, state, timeline, players: () => state.players, loadDay, selectCamera,
  select: (a, b) => { timeline.setRange([a, b]); timeline.h.select(a, b, state.camera); } };

/** The newest segment with a picture of {@code cameraId} on the day shown, or null. */
function newestSegment(cameraId) {
  const line = state.lines.find((l) => l.cameraId === cameraId);
  const segs = line ? line.segments.filter((s) => s.frames > 0) : [];
  return segs.length ? segs[segs.length - 1] : null;
}

/**
 * Shows the selected camera's newest recorded picture, paused, so that the page opens on what was recorded last
 * (and has the way to the recorder and a decoder ready for the first seek). Paused, not playing: its end is the
 * end of the recordings (or the live edge of one being written), and a picture standing still costs no decoding.
 * With nothing recorded on the day shown and no day asked for, it goes to the day of the newest recording.
 */
async function showNewest(dayAsked) {
  let seg = newestSegment(state.camera);
  if (!seg && !dayAsked) {
    const cam = state.camera ? `&camera=${encodeURIComponent(state.camera)}` : '';
    const r = (await api(`/api/recordings?limit=5${cam}`).catch(() => [])).find((x) => x.frames > 0);
    if (!r) return;
    state.camera = r.cameraId;
    await loadDay(localDay(Date.parse(r.start)));
    seg = newestSegment(state.camera);
  }
  if (!seg) return;
  await playAt(Date.parse(seg.end), false, true);
  performance.mark('review:newest-picture');
}

$('zone').textContent = `Times in ${zone}`;
const wanted = new URLSearchParams(location.search);
state.namesLoaded = loadNames(); // asked at the same time as the day; the day is drawn once both are there
if (wanted.get('camera')) state.camera = wanted.get('camera');
loadDay(wanted.get('day') || localDay(Date.now())).then(() => {
  if (wanted.get('t')) return playAt(Date.parse(wanted.get('t')));
  return showNewest(wanted.has('day'));
});
loadStorage();
setInterval(loadStorage, 30_000);
