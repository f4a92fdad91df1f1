// One camera's player across its segments: where a moment is comes from the recorder (/api/timeline/at), MP4
// segments play in native <video> elements (two of them, so that the next segment is loaded before the current one
// ends and the switch shows no seam), Matroska (JPEG) segments are drawn frame by frame on a canvas from the
// recorder's stored JPEGs, paced by their own timestamps at the chosen speed.

const FRAME_FALLBACK = 1 / 25;
/** Seeks whose timings a player keeps (the newest). */
const SEEKS_KEPT = 50;
/**
 * How long the recorder's answer for a finished segment stands in for asking again: a segment deleted meanwhile (by
 * retention, or on another page) is found out at the latest after this.
 */
const POSITIONS_KEPT_MS = 60_000;

/**
 * Where the time of one seek goes, in ms: {@code locate} (asking the recorder where the moment is), {@code load} (a
 * segment not loaded yet: from setting its src until its header is read), {@code seek} (from setting currentTime until
 * the element has decoded the picture there, from the keyframe before it), {@code present} (until that picture is on
 * screen). {@code kind}: {@code within} the segment on screen, {@code loaded} (in the other element, loaded ahead), or
 * {@code new} (a file to open). Each part is also a performance measure ({@code review:locate}, …) in the browser's
 * performance timeline, so DevTools shows them.
 */
class SeekTiming {
  constructor() {
    this.start = performance.now();
    this.at = this.start;
    this.kind = 'within';
    this.parts = { locate: 0, load: 0, seek: 0, present: 0 };
  }

  lap(part) {
    const now = performance.now();
    this.parts[part] += now - this.at;
    performance.measure(`review:${part}`, { start: this.at, end: now });
    this.at = now;
  }

  /**
   * The summary kept by the player: each part and the total, rounded to 0.1 ms, and for the requests of this seek
   * that the browser's resource timing shows ({@code urls}), the time to their first byte.
   */
  done(urls = []) {
    const r = (x) => Math.round(x * 10) / 10;
    const parts = Object.fromEntries(Object.entries(this.parts).map(([k, v]) => [k, r(v)]));
    const firstByte = {};
    for (const u of urls) {
      const e = performance.getEntriesByName(new URL(u, location.href).href).filter((x) => x.startTime >= this.start).pop();
      if (e) firstByte[u.split('?')[0].split('/').pop()] = r(e.responseStart - e.startTime);
    }
    return { kind: this.kind, ...parts, total: r(performance.now() - this.start), firstByte };
  }
}

const locateUrl = (cameraId, ms) => `/api/timeline/at?camera=${encodeURIComponent(cameraId)}&t=${new Date(ms).toISOString()}`;

async function locate(cameraId, ms) {
  const res = await fetch(locateUrl(cameraId, ms));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).message || `${res.status}`);
  return res.json();
}

const fileOf = (r) => `/api/recordings/${encodeURIComponent(r.id)}/file`;
const startOf = (r) => Date.parse(r.start);
const isMp4 = (r) => r.contentType === 'video/mp4';
const frameStep = (r) => {
  const end = r.end ? Date.parse(r.end) : null;
  return end && r.frames > 1 ? (end - startOf(r)) / 1000 / (r.frames - 1) : FRAME_FALLBACK;
};

export class SegmentPlayer {
  /** @param root an element holding the player's pictures; @param onState called on every change */
  constructor(root, cameraId, onState = () => {}) {
    this.root = root;
    this.cameraId = cameraId;
    this.onState = onState;
    this.speed = 1;
    this.playing = false;
    this.current = null;    // the recording on screen
    this.following = null;  // the one after it, loaded ahead (MP4)
    this.message = '';
    this.videos = [0, 1].map(() => {
      const v = document.createElement('video');
      v.muted = true;
      v.playsInline = true;
      v.preload = 'auto';
      v.hidden = true;
      v.addEventListener('ended', () => { if (v === this.video) this.advance(); });
      v.addEventListener('timeupdate', () => { if (v === this.video) this.onState(this); });
      v.addEventListener('playing', () => { if (v === this.video) this.onState(this); });
      v.addEventListener('error', () => { if (v === this.video) this.fail('the recording cannot be played here'); });
      root.appendChild(v);
      return v;
    });
    this.video = this.videos[0];
    this.canvas = document.createElement('canvas');
    this.canvas.hidden = true;
    root.appendChild(this.canvas);
    this.jpeg = { offset: 0, next: null, timer: null, token: 0 };
    this.gen = 0; // the newest request wins: an older one that answers late changes nothing
    this.seeks = []; // where the time of the latest seeks went (SeekTiming), newest last
    this.positions = new Map(); // recording id → the recorder's answer for it (finished segments), see known()
  }

  fail(text) {
    this.message = text;
    this.onState(this);
  }

  /** Wall-clock ms of the frame on screen, or null. */
  wallTime() {
    if (!this.current) return null;
    const s = isMp4(this.current) ? this.video.currentTime : this.jpeg.offset;
    return startOf(this.current) + s * 1000;
  }

  /**
   * Plays (or shows paused) the moment {@code ms}; resolves once its picture is on screen. {@code toEnd}: the last
   * picture of the segment that holds {@code ms} (its newest, for one being written).
   */
  async playAt(ms, play = true, toEnd = false) {
    this.message = '';
    const gen = ++this.gen;
    const timing = new SeekTiming();
    let p = this.known(ms);
    if (!p) {
      timing.url = locateUrl(this.cameraId, ms);
      p = await locate(this.cameraId, ms);
      this.remember(p);
    }
    timing.lap('locate');
    if (gen !== this.gen) return false;
    if (!p) {
      this.stop();
      this.fail('nothing recorded at or after this moment');
      return false;
    }
    this.playing = play;
    this.message = p.inGap ? 'nothing recorded here: playing from the next recording' : '';
    // the end: past it for a <video> (which stops at its last frame), the JPEG shown at the index's last frame time
    // (its milliseconds as the page reads them, plus one, so that it is not the frame before)
    const end = isMp4(p.recording) ? Number.MAX_VALUE : p.offsetSeconds + 0.001;
    await this.show(p.recording, toEnd ? end : p.offsetSeconds, p.next, gen, timing);
    return true;
  }

  /** Keeps the recorder's answer for a finished segment, so that later seeks into it need no request. */
  remember(p) {
    if (!p || p.inGap || p.recording.open || !p.recording.end) return;
    this.positions.set(p.recording.id, { recording: p.recording, next: p.next, until: Date.now() + POSITIONS_KEPT_MS });
  }

  /**
   * Where {@code ms} is, from the recorder's earlier answers: in a finished segment it answered for (and no other
   * known one, since of two overlapping segments the recorder picks the later), with the segment after it; or null.
   */
  known(ms) {
    const now = Date.now();
    let found = null;
    for (const [id, k] of this.positions) {
      if (k.until < now) { this.positions.delete(id); continue; }
      if (ms < startOf(k.recording) || ms > Date.parse(k.recording.end)) continue;
      if (found) return null;
      found = k;
    }
    return found && { recording: found.recording, offsetSeconds: Math.max(0, (ms - startOf(found.recording)) / 1000),
      inGap: false, next: found.next };
  }

  async show(recording, offset, next, gen = ++this.gen, timing = new SeekTiming()) {
    this.current = recording;
    this.following = next;
    if (isMp4(recording)) {
      this.stopJpeg();
      this.canvas.hidden = true;
      let v = this.videos.find((x) => x.dataset.id === recording.id);
      if (!v) {
        v = this.video === this.videos[0] ? this.videos[1] : this.videos[0];
        if (v.dataset.id === (next && next.id)) v = this.video; // keep the one loaded ahead
        v.dataset.id = recording.id;
        v.src = fileOf(recording);
        timing.kind = 'new';
      } else if (v !== this.video) {
        timing.kind = 'loaded';
      }
      this.swapTo(v);
      await seekTo(v, offset, timing);
      if (gen !== this.gen) return;
      this.seeks.push(timing.done([timing.url, fileOf(recording)].filter(Boolean)));
      if (this.seeks.length > SEEKS_KEPT) this.seeks.shift();
      v.playbackRate = this.speed;
      if (this.playing) await v.play().catch(() => {});
      this.preload(next);
    } else {
      this.videos.forEach((x) => { x.pause(); x.hidden = true; });
      this.canvas.hidden = false;
      await this.drawJpeg(offset);
      if (this.playing) this.runJpeg();
    }
    this.onState(this);
  }

  swapTo(v) {
    for (const x of this.videos) {
      if (x !== v) { x.pause(); x.hidden = true; }
    }
    v.hidden = false;
    this.video = v;
  }

  /** Loads the next MP4 segment in the hidden element, so that the switch at the end is at once. */
  preload(next) {
    if (!next || !isMp4(next)) return;
    const other = this.videos.find((x) => x !== this.video);
    if (other.dataset.id !== next.id) {
      other.dataset.id = next.id;
      other.src = fileOf(next);
      other.load();
    }
  }

  /** The current segment ended: on to the next one, if any. */
  async advance() {
    const gen = ++this.gen;
    const next = this.following;
    if (!next) {
      // the segment may have grown (it was being written), or a newer one begun: ask again
      const end = this.wallTime();
      const p = end ? await locate(this.cameraId, end + 1) : null;
      if (gen !== this.gen) return;
      if (!p || (p.recording.id === this.current.id && p.offsetSeconds <= 0)) {
        this.playing = false;
        this.fail('end of the recordings');
        return;
      }
      await this.show(p.recording, p.recording.id === this.current.id ? (end - startOf(p.recording)) / 1000 : 0, p.next);
      return;
    }
    const after = await locate(this.cameraId, startOf(next)).catch(() => null);
    if (gen !== this.gen) return;
    await this.show(next, 0, after && after.recording.id === next.id ? after.next : null);
  }

  play() {
    if (!this.current) return;
    this.playing = true;
    if (isMp4(this.current)) this.video.play().catch(() => {}); else this.runJpeg();
    this.onState(this);
  }

  pause() {
    this.playing = false;
    if (this.current && isMp4(this.current)) this.video.pause(); else this.stopJpeg();
    this.onState(this);
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }

  setSpeed(s) {
    this.speed = s;
    this.videos.forEach((v) => { v.playbackRate = s; });
    this.onState(this);
  }

  /** One frame forward (+1) or back (-1), paused. */
  async step(direction) {
    if (!this.current) return;
    this.pause();
    if (isMp4(this.current)) {
      const d = frameStep(this.current);
      const t = this.video.currentTime + direction * d;
      if (t < 0) {
        await this.playAt(startOf(this.current) - d * 1000 / 2, false);
        return;
      }
      if (t > this.video.duration && this.following) {
        await this.show(this.following, 0, null);
        return;
      }
      await seekTo(this.video, Math.max(0, t));
    } else {
      if (direction > 0 && this.jpeg.next != null) await this.drawJpeg(this.jpeg.next);
      else if (direction < 0 && this.jpeg.offset > 0) await this.drawJpeg(Math.max(0, this.jpeg.offset - 0.001));
    }
    this.onState(this);
  }

  /** Seconds of the current segment from which the picture is decoded, by the wall clock. */
  async seekWall(ms) {
    if (this.current && isMp4(this.current)) {
      const offset = (ms - startOf(this.current)) / 1000;
      if (offset >= 0 && offset <= (this.video.duration || 0)) {
        await seekTo(this.video, offset);
        this.onState(this);
        return;
      }
    }
    await this.playAt(ms, this.playing);
  }

  async drawJpeg(offset) {
    const token = ++this.jpeg.token;
    const res = await fetch(`/api/recordings/${encodeURIComponent(this.current.id)}/frame.jpg?offset=${offset}`);
    if (!res.ok) { this.fail('this frame cannot be shown'); return; }
    const bitmap = await createImageBitmap(await res.blob());
    if (token !== this.jpeg.token) return;
    this.canvas.width = bitmap.width;
    this.canvas.height = bitmap.height;
    this.canvas.getContext('2d').drawImage(bitmap, 0, 0);
    this.jpeg.offset = Number(res.headers.get('X-Frame-Offset')) || 0;
    const next = res.headers.get('X-Next-Offset');
    this.jpeg.next = next == null ? null : Number(next);
    this.onState(this);
  }

  /** Paces the JPEG frames by their own times at the chosen speed; at high speed frames are skipped, not queued. */
  runJpeg() {
    this.stopJpeg();
    const tick = async () => {
      if (!this.playing) return;
      const began = performance.now();
      if (this.jpeg.next == null) { await this.advance(); return; }
      const wanted = this.jpeg.offset + Math.max(this.jpeg.next - this.jpeg.offset, 0.001) * Math.max(1, this.speed / 4);
      const gap = (Math.max(this.jpeg.next, wanted) - this.jpeg.offset) / this.speed * 1000;
      await this.drawJpeg(this.speed > 4 ? wanted : this.jpeg.next);
      const spent = performance.now() - began;
      if (this.playing) this.jpeg.timer = setTimeout(tick, Math.max(0, gap - spent));
    };
    this.jpeg.timer = setTimeout(tick, 0);
  }

  stopJpeg() {
    clearTimeout(this.jpeg.timer);
    this.jpeg.timer = null;
  }

  stop() {
    this.playing = false;
    this.stopJpeg();
    this.videos.forEach((v) => v.pause());
  }

  /** The picture on screen as a canvas (for a snapshot). */
  frameCanvas() {
    if (!this.current) return null;
    if (!isMp4(this.current)) return this.canvas;
    const c = document.createElement('canvas');
    c.width = this.video.videoWidth;
    c.height = this.video.videoHeight;
    c.getContext('2d').drawImage(this.video, 0, 0);
    return c;
  }

  element() { return this.current && isMp4(this.current) ? this.video : this.canvas; }
}

/**
 * Sets currentTime and waits until the element has the picture there on screen; {@code timing} (a SeekTiming) is told
 * each step. On screen: the element reports the frame presented ({@code requestVideoFrameCallback}), or the page has
 * been rendered once since the seek ended (two animation frames), whichever comes first. An element that was hidden
 * until this seek (the one loaded ahead, or a new file) reports no frame for its first picture (Chromium; not within
 * 300 ms, where the wait gave up before), so waiting for the report alone would wait for nothing. {@code seconds} past
 * the end shows the last frame.
 */
function seekTo(v, seconds, timing = new SeekTiming()) {
  return new Promise((resolve) => {
    const go = () => {
      timing.lap('load');
      let shown = false;
      const presented = () => {
        if (shown) return;
        shown = true;
        timing.lap('present');
        resolve();
      };
      v.addEventListener('seeked', () => {
        timing.lap('seek');
        if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(presented);
        requestAnimationFrame(() => requestAnimationFrame(presented));
      }, { once: true });
      const end = Number.isFinite(v.duration) ? Math.max(0, v.duration - 0.001) : Number.MAX_VALUE;
      v.currentTime = Math.min(seconds, end);
    };
    if (v.readyState >= 1) go(); else v.addEventListener('loadedmetadata', go, { once: true });
  });
}
