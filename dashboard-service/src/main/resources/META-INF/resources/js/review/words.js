// Human words and local times for the review page: no network, no DOM.

export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Parts of an instant (ms) in the browser's zone. */
function parts(ms) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  });
  const o = {};
  for (const p of f.formatToParts(new Date(ms))) o[p.type] = p.value;
  return o;
}

/** "2026-11-25" of an instant in the browser's zone. */
export function localDay(ms) {
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "12:03:04.120 CET": the wall-clock time of a frame, with the zone shown. */
export function clock(ms, withMillis = true) {
  const p = parts(ms);
  const millis = withMillis ? '.' + pad(Math.floor(((ms % 1000) + 1000) % 1000), 3) : '';
  return `${p.hour}:${p.minute}:${p.second}${millis} ${p.timeZoneName}`;
}

/** "2026-11-25 12:03:04 CET". */
export function dateTime(ms) {
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** "2026-11-25_12-03-04" for file names, local time. */
export function fileTime(ms) {
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day}_${p.hour}-${p.minute}-${p.second}`;
}

/** "HH:MM" label of a tick. */
export function tick(ms, seconds) {
  const p = parts(ms);
  return seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

const REASONS = {
  goodbye: 'said goodbye', 'connection-lost': 'connection lost', timeout: 'stopped answering',
  'heartbeat-timeout': 'stopped answering', 'taken-over': 'taken over by a new connection', shutdown: 'server shutting down',
  replaced: 'replaced by a new connection', 'server-shutdown': 'server shutting down', 'protocol-error': 'a protocol error',
  'ingest-lost': 'its ingest server was lost',
  error: 'an error', operator: 'by an operator', 'max-age': 'older than the retention keeps',
  'max-bytes': 'recordings above their size limit', 'min-free': 'the disk needed room',
};

function reason(r) {
  if (!r) return '';
  return REASONS[r] || String(r).replace(/-/g, ' ');
}

/** The event kinds the page filters by, with their words. */
export const EVENT_TYPES = {
  connected: 'came online', disconnected: 'went offline', 'recording-started': 'started recording',
  'recording-stopped': 'stopped recording', 'segment-completed': 'finished a segment', 'recording-deleted': 'recording deleted',
  'recording-failed': 'recording failed', 'recording-resumed': 'recording resumed', 'clock-skewed': 'clock is off',
};

/** "Front door went offline (connection lost)". */
export function eventWords(e, name) {
  const who = name || e.cameraId;
  switch (e.type) {
    case 'connected': return `${who} came online`;
    case 'disconnected': return `${who} went offline${e.reason ? ` (${reason(e.reason)})` : ''}`;
    case 'recording-started': return `${who} started recording${e.by ? ` (by ${e.by})` : ''}`;
    case 'recording-stopped': return `${who} stopped recording${e.reason ? ` (${reason(e.reason)})` : ''}`;
    case 'segment-completed': return `${who} finished a recording segment`;
    case 'recording-deleted': return `A recording of ${who} was deleted (${reason(e.reason)})`;
    case 'recording-failed': return `Recording ${who} failed${e.error ? `: ${e.error}` : ''}`;
    case 'recording-resumed': return `Recording ${who} resumed after a storage error`;
    case 'clock-skewed': return `${who}'s clock is off`;
    default: return `${who}: ${String(e.type).replace(/-/g, ' ')}`;
  }
}

/** Kind of mark on the timeline. */
export function markClass(type) {
  if (type === 'disconnected' || type === 'recording-failed') return 'mark-bad';
  if (type === 'connected' || type === 'recording-resumed') return 'mark-ok';
  return 'mark-rec';
}

export function fmtDays(d) {
  if (d == null) return '—';
  if (d < 1) return `${Math.max(1, Math.round(d * 24))} h`;
  return `${Math.round(d)} days`;
}
