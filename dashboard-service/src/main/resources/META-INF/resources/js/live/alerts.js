// Camera-down alerts of the live page: the tab title and the header count, an optional beep (WebAudio, off by default)
// and a browser notification once the user allowed them. State only; the page tells it what happened.

const SOUND_KEY = 'cctv.alerts.sound';

export class OfflineAlerts {
  /**
   * @param {object} els  { count: header element, sound: toggle button, notify: permission button }
   * @param {string} title  the page's own title, shown after the count
   */
  constructor(els, title) {
    this.els = els;
    this.title = title;
    this.audio = null;
    this.beeps = 0;                 // beeps played, for operators' scripts and tests
    this.notes = new Map();         // camera id -> the Notification shown for it
    this.sound = localStorage.getItem(SOUND_KEY) === 'on';
    els.sound.addEventListener('click', () => this.setSound(!this.sound));
    els.notify.addEventListener('click', () => this.askPermission());
    this.showSound();
    this.showPermission();
  }

  /** The cameras shown now that are offline: title and header say how many. */
  update(offline) {
    const n = offline.length;
    document.title = n > 0 ? `(${n} offline) ${this.title}` : this.title;
    const el = this.els.count;
    el.hidden = n === 0;
    el.textContent = `${n} offline`;
    el.title = offline.map((c) => c.name).join(', ');
  }

  /** A shown camera went offline while the page watched: beep and notify. */
  dropped(id, name, why) {
    if (this.sound) this.beep();
    if (typeof Notification !== 'function' || Notification.permission !== 'granted') return;
    try {
      const note = new Notification(`${name} went offline`, {
        body: why || 'The camera stopped sending.', tag: 'cctv-offline-' + id, requireInteraction: false,
      });
      note.onclick = () => { window.focus(); note.close(); };
      this.notes.set(id, note);
    } catch { /* a browser that only notifies from a service worker: the title and the count still say it */ }
  }

  /** Back online, or gone from the view: its notification is taken back. */
  back(id) {
    const note = this.notes.get(id);
    if (note) { note.close(); this.notes.delete(id); }
  }

  setSound(on) {
    this.sound = on;
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    this.showSound();
    if (on) this.beep();            // the click is the gesture that lets the audio start, and a sample of the sound
  }

  showSound() {
    const b = this.els.sound;
    b.textContent = this.sound ? 'Sound on' : 'Sound off';
    b.setAttribute('aria-pressed', String(this.sound));
  }

  async askPermission() {
    if (typeof Notification !== 'function') return;
    try { await Notification.requestPermission(); } catch { /* older promise-less form: the state below tells */ }
    this.showPermission();
  }

  showPermission() {
    const b = this.els.notify;
    if (typeof Notification !== 'function') { b.hidden = true; return; }
    const p = Notification.permission;
    b.hidden = p === 'granted';
    b.disabled = p === 'denied';
    b.textContent = p === 'denied' ? 'Notifications blocked' : 'Notify me';
    b.title = p === 'denied' ? 'This browser refuses notifications for this site: allow them in its site settings'
      : 'Show a notification when a camera goes offline';
  }

  /** Two short tones, made here: no sound file to fetch. */
  beep() {
    try {
      if (!this.audio) this.audio = new AudioContext();
      const ctx = this.audio;
      if (ctx.state === 'suspended') ctx.resume().catch(() => {});
      const t = ctx.currentTime + 0.01;
      for (const [start, freq] of [[0, 880], [0.25, 660]]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + start);
        gain.gain.exponentialRampToValueAtTime(0.3, t + start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + start + 0.2);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t + start);
        osc.stop(t + start + 0.22);
      }
      this.beeps++;
    } catch { /* no audio output: the other alerts still work */ }
  }
}
