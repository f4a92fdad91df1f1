// The day timeline: a row per camera with its recorded spans, the gaps between them and event marks, a playhead,
// a selected range and thumbnails of the segments in view. Pointer events only (mouse, pen and touch alike): a
// press and drag scrubs (the playhead follows, playback starts where it is let go); in select mode a drag marks a
// range. Rendering only: the page owns the data and decides what a moment means.
import { esc, fmtDuration } from '../common.js';
import { tick, clock, eventWords, markClass } from './words.js';

/**
 * Sets the position and width (percent) of every element under {@code root} that carries them as
 * {@code data-left}/{@code data-width}. The page's Content-Security-Policy (style-src 'self') ignores style
 * attributes in HTML, so positions are set through the CSSOM, which it allows.
 */
export function place(root) {
  for (const el of root.querySelectorAll('[data-left], [data-width]')) {
    if (el.dataset.left !== undefined) el.style.left = `${el.dataset.left}%`;
    if (el.dataset.width !== undefined) el.style.width = `${el.dataset.width}%`;
  }
}

const STEPS = [60, 5 * 60, 15 * 60, 3600, 3 * 3600, 6 * 3600, 24 * 3600].map((s) => s * 1000);

export class Timeline {
  constructor(root, handlers) {
    this.root = root;
    this.h = handlers; // {seek(ms, cameraId, final), select(a, b, cameraId)}
    this.dayStart = 0;
    this.dayEnd = 0;
    this.view = [0, 0];
    this.lines = [];
    this.events = [];
    this.names = {};
    this.selected = null;
    this.playhead = null;
    this.range = null;
    this.selectMode = false;
    this.fingers = new Map(); // touch pointers down on a track (id → client x), for a pinch
    this.pinched = new Set(); // pointers that became a pinch: their own press neither scrubs nor plays
    const lifted = (e) => this.fingers.delete(e.pointerId); // also when the row was drawn anew under the finger
    document.addEventListener('pointerup', lifted);
    document.addEventListener('pointercancel', lifted);
    root.classList.add('timeline');
  }

  setDay(start, end) {
    this.dayStart = start;
    this.dayEnd = end;
    this.view = [start, end];
  }

  setData(lines, events, names) {
    this.lines = lines;
    this.events = events;
    this.names = names;
    this.render();
  }

  span() { return this.view[1] - this.view[0]; }

  /** Zoom in (factor < 1) or out around {@code centre} (ms), within the day. */
  zoom(factor, centre = this.playhead ?? (this.view[0] + this.view[1]) / 2) {
    const width = Math.min(this.dayEnd - this.dayStart, Math.max(60_000, this.span() * factor));
    let a = centre - width / 2;
    a = Math.max(this.dayStart, Math.min(a, this.dayEnd - width));
    this.view = [a, a + width];
    this.render();
  }

  pan(fraction) {
    const w = this.span();
    const a = Math.max(this.dayStart, Math.min(this.view[0] + w * fraction, this.dayEnd - w));
    this.view = [a, a + w];
    this.render();
  }

  x(ms) { return ((ms - this.view[0]) / this.span()) * 100; }

  render() {
    const [a, b] = this.view;
    const w = this.span();
    const step = STEPS.find((s) => w / s <= 8) || STEPS[STEPS.length - 1];
    let ticks = '';
    for (let t = Math.ceil(a / step) * step; t <= b; t += step) {
      ticks += `<span class="tick" data-left="${this.x(t)}">${esc(tick(t, step < 60_000 * 5))}</span>`;
    }
    const rows = this.lines.map((line) => {
      const cam = line.cameraId;
      const spans = line.spans.filter((s) => Date.parse(s.end) > a && Date.parse(s.start) < b).map((s) => {
        const l = Math.max(0, this.x(Date.parse(s.start)));
        const r = Math.min(100, this.x(Date.parse(s.end)));
        return `<span class="span" data-left="${l}" data-width="${Math.max(0.2, r - l)}"></span>`;
      }).join('');
      const marks = this.events.filter((e) => e.cameraId === cam && e.type !== 'segment-completed')
        .filter((e) => { const t = Date.parse(e.time); return t >= a && t <= b; })
        .map((e) => `<span class="mark ${markClass(e.type)}" data-left="${this.x(Date.parse(e.time))}"
          title="${esc(clock(Date.parse(e.time), false) + ' ' + eventWords(e, this.names[cam]))}"></span>`).join('');
      const thumbs = cam === this.selected ? this.thumbs(line) : '';
      return `<div class="row${cam === this.selected ? ' selected' : ''}" data-camera="${esc(cam)}">
        <div class="row-name">${esc(this.names[cam] || cam)}</div>
        <div class="track" data-camera="${esc(cam)}">${spans}${marks}${thumbs}</div></div>`;
    }).join('');
    this.root.innerHTML = `<div class="ticks">${ticks}</div><div class="rows">${rows || '<p class="empty">Nothing recorded on this day.</p>'}
      <div class="overlay">${this.overlay()}</div></div>`;
    place(this.root);
    this.bind();
  }

  /** Thumbnails of the segments in view, at most one per 10 % of the width. */
  thumbs(line) {
    const [a, b] = this.view;
    let last = -100;
    let html = '';
    for (const s of line.segments) {
      const t = Date.parse(s.start);
      const e = Date.parse(s.end);
      if (e < a || t > b) continue;
      const x = Math.max(0, this.x(t));
      if (x - last < 10) continue;
      last = x;
      html += `<img class="thumb" loading="lazy" alt="" src="/api/recordings/${encodeURIComponent(s.id)}/thumbnail.jpg"
        data-left="${x}" title="${esc(clock(t, false) + ' · ' + fmtDuration(e - t))}">`;
    }
    return html;
  }

  setPlayhead(ms) {
    this.playhead = ms;
    const head = this.root.querySelector('.playhead');
    if (head && ms >= this.view[0] && ms <= this.view[1]) head.style.left = `${this.x(ms)}%`;
    else this.drawOverlay();
  }

  drawOverlay() {
    const o = this.root.querySelector('.overlay');
    if (!o) return;
    o.innerHTML = this.overlay();
    place(o);
  }

  /** The selected range and the playhead, where they are in view. */
  overlay() {
    const [a, b] = this.view;
    const range = this.range
      ? `<span class="range" data-left="${this.x(this.range[0])}" data-width="${this.x(this.range[1]) - this.x(this.range[0])}"></span>` : '';
    const head = this.playhead != null && this.playhead >= a && this.playhead <= b
      ? `<span class="playhead" data-left="${this.x(this.playhead)}"></span>` : '';
    return range + head;
  }

  setRange(r) {
    this.range = r;
    this.render();
  }

  timeAt(clientX) {
    const track = this.root.querySelector('.track');
    if (!track) return null;
    const box = track.getBoundingClientRect();
    const f = Math.max(0, Math.min(1, (clientX - box.left) / box.width));
    return this.view[0] + f * this.span();
  }

  bind() {
    for (const track of this.root.querySelectorAll('.track')) {
      track.addEventListener('pointerdown', (ev) => this.press(ev, track.dataset.camera));
    }
  }

  press(ev, cameraId) {
    ev.preventDefault();
    if (ev.pointerType === 'touch' && this.pinchStart(ev)) return;
    const track = ev.currentTarget;
    track.setPointerCapture(ev.pointerId);
    const from = this.timeAt(ev.clientX);
    const select = this.selectMode || ev.shiftKey;
    const move = (m) => {
      if (this.pinched.has(ev.pointerId)) return;
      const t = this.timeAt(m.clientX);
      if (select) {
        this.range = [Math.min(from, t), Math.max(from, t)];
        this.drawOverlay();
      } else {
        this.playhead = t;
        const head = this.root.querySelector('.playhead');
        if (head) head.style.left = `${this.x(t)}%`;
        this.h.seek(t, cameraId, false);
      }
    };
    const up = (u) => {
      track.removeEventListener('pointermove', move);
      track.removeEventListener('pointerup', up);
      track.removeEventListener('pointercancel', up);
      if (ev.pointerType === 'touch') this.fingers.delete(ev.pointerId);
      if (this.pinched.has(ev.pointerId)) { this.pinched.delete(ev.pointerId); return; } // it became a pinch
      const t = this.timeAt(u.clientX);
      if (select) {
        const r = [Math.min(from, t), Math.max(from, t)];
        if (r[1] - r[0] > 500) { this.range = r; this.drawOverlay(); this.h.select(r[0], r[1], cameraId); }
      } else {
        this.playhead = t;
        this.h.seek(t, cameraId, true);
      }
    };
    if (ev.pointerType === 'touch') this.fingers.set(ev.pointerId, ev.clientX);
    track.addEventListener('pointermove', move);
    track.addEventListener('pointerup', up);
    track.addEventListener('pointercancel', up);
  }

  /**
   * A second finger on the timeline while one is down: the two pinch, zooming around the moment between them (apart:
   * in, together: out), and neither scrubs or plays. Followed on the document, since zooming draws the rows anew.
   * False when this is the first finger.
   */
  pinchStart(ev) {
    if (this.fingers.size !== 1) return false;
    const [[firstId, firstX]] = this.fingers;
    const xs = new Map([[firstId, firstX], [ev.pointerId, ev.clientX]]);
    this.pinched = new Set([firstId, ev.pointerId]);
    this.fingers.clear();
    const apart = () => Math.max(8, Math.abs([...xs.values()].reduce((a, b) => a - b)));
    const middle = () => [...xs.values()].reduce((a, b) => a + b) / 2;
    const span = this.span();
    const distance = apart();
    const centre = this.timeAt(middle());
    const move = (m) => {
      if (!xs.has(m.pointerId)) return;
      xs.set(m.pointerId, m.clientX);
      this.zoomTo(span * distance / apart(), centre, middle());
    };
    const up = (u) => {
      if (!xs.has(u.pointerId)) return;
      this.pinched.delete(u.pointerId);
      document.removeEventListener('pointermove', move);
      document.removeEventListener('pointerup', up);
      document.removeEventListener('pointercancel', up);
    };
    document.addEventListener('pointermove', move);
    document.addEventListener('pointerup', up);
    document.addEventListener('pointercancel', up);
    return true;
  }

  /** A view {@code width} ms wide (a minute to the day) with the moment {@code ms} under the client x {@code clientX}. */
  zoomTo(width, ms, clientX) {
    const track = this.root.querySelector('.track');
    if (!track) return;
    const box = track.getBoundingClientRect();
    const f = Math.max(0, Math.min(1, (clientX - box.left) / box.width));
    const w = Math.min(this.dayEnd - this.dayStart, Math.max(60_000, width));
    const a = Math.max(this.dayStart, Math.min(ms - f * w, this.dayEnd - w));
    this.view = [a, a + w];
    this.render();
  }
}
