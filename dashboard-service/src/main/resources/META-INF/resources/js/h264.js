// H.264 tiles: WebCodecs VideoDecoder on Annex B access units, painted on the tile's canvas.
// A decoder starts only at a key frame (SPS/PPS in-band before each IDR); after any error it is reset and waits for
// the next key frame, so the tile keeps its last good picture and never shows a broken one.

/** Whether this browser decodes H.264 here (WebCodecs exists only in a secure context: https, or localhost). */
export const webCodecs = typeof VideoDecoder === 'function';

/** The NAL units of an Annex B access unit, as [type, start, end] (start after the start code). */
function* nalUnits(au) {
  const n = au.length;
  let i = 0;
  let start = -1;
  while (i + 2 < n) {
    if (au[i] === 0 && au[i + 1] === 0 && (au[i + 2] === 1 || (au[i + 2] === 0 && i + 3 < n && au[i + 3] === 1))) {
      const sc = au[i + 2] === 1 ? 3 : 4;
      if (start >= 0) yield [au[start] & 0x1f, start, i];
      i += sc;
      start = i;
    } else {
      i++;
    }
  }
  if (start >= 0 && start < n) yield [au[start] & 0x1f, start, n];
}

/** 'avc1.PPCCLL' from the access unit's SPS (profile, constraint flags, level), or null without one. */
export function codecString(au) {
  for (const [type, s, e] of nalUnits(au)) {
    if (type === 7 && e - s >= 4) {
      const hex = (b) => b.toString(16).padStart(2, '0');
      return 'avc1.' + hex(au[s + 1]) + hex(au[s + 2]) + hex(au[s + 3]);
    }
  }
  return null;
}

export class H264Tile {
  /** onPaint(captureUs) after each picture drawn; onState(text) when the tile cannot decode (null when it can). */
  constructor(canvas, onPaint, onState) {
    this.canvas = canvas;
    this.onPaint = onPaint;
    this.onState = onState;
    this.decoder = null;
    this.codec = null;
    this.awaitingKey = true;
    this.lastSeq = null;
    this.skips = 0;
  }

  /** Hands one frame (from live-frame.js) to the decoder. */
  push(frame) {
    if (!webCodecs) {
      this.onState('H.264 needs HTTPS (or localhost) for the browser to decode it');
      return;
    }
    if (frame.key) {
      const codec = codecString(frame.data);
      if (codec && (codec !== this.codec || !this.decoder || this.decoder.state === 'closed')) {
        this.open(codec);
      }
      if (!this.decoder) return;
      this.awaitingKey = false;
    } else if (this.awaitingKey || this.lastSeq === null || frame.seq !== this.lastSeq + 1n) {
      // no key frame yet, or a frame missing in between: wait for the next key frame
      this.awaitingKey = true;
      return;
    }
    // a decoder far behind (a slow machine) skips to the next key frame too
    if (!frame.key && this.decoder.decodeQueueSize > 30) {
      this.skips++;
      this.awaitingKey = true;
      return;
    }
    this.lastSeq = frame.seq;
    try {
      this.decoder.decode(new EncodedVideoChunk({
        type: frame.key ? 'key' : 'delta', timestamp: frame.captureUs, data: frame.data,
      }));
    } catch (e) {
      this.fail(e);
    }
  }

  open(codec) {
    this.closeDecoder();
    this.codec = codec;
    const decoder = new VideoDecoder({
      output: (picture) => this.paint(picture),
      error: (e) => { if (this.decoder === decoder) this.fail(e); },
    });
    try {
      // no description: Chromium, Firefox and Safari then read SPS/PPS from the Annex B stream itself
      decoder.configure({ codec, optimizeForLatency: true });
      this.decoder = decoder;
      this.onState(null);
    } catch (e) {
      this.decoder = null;
      this.onState(`this browser cannot decode ${codec}: ${e.message}`);
    }
  }

  paint(picture) {
    try {
      const w = picture.displayWidth;
      const h = picture.displayHeight;
      if (this.canvas.width !== w || this.canvas.height !== h) {
        this.canvas.width = w;
        this.canvas.height = h;
      }
      this.canvas.getContext('2d').drawImage(picture, 0, 0, w, h);
      this.onPaint(picture.timestamp);
    } finally {
      picture.close();
    }
  }

  fail(e) {
    // the picture on the canvas stays as it was; decoding resumes at the next key frame
    console.warn('H.264 decoder reset:', e && e.message);
    this.closeDecoder();
    this.awaitingKey = true;
  }

  closeDecoder() {
    const d = this.decoder;
    this.decoder = null;
    this.lastSeq = null;
    if (d && d.state !== 'closed') {
      try { d.close(); } catch { /* already closed */ }
    }
  }

  close() {
    this.closeDecoder();
    this.codec = null;
  }
}
