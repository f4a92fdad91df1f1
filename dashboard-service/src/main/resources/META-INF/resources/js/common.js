// Small helpers shared by the pages.

/** fetch that returns parsed JSON or throws with the server's message. */
export async function api(url, options) {
  const res = await fetch(url, options);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (res.status === 401) {
    toSignIn();
  }
  if (!res.ok) {
    const msg = body && body.message ? body.message : `${res.status} ${res.statusText}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

/** Off to the sign-in page, coming back here afterwards. */
export function toSignIn() {
  location.assign('/login.html?next=' + encodeURIComponent(location.pathname + location.search));
}

/** Whether the session is still good: false only when the server says 401 (not when it is unreachable). */
export async function signedIn() {
  try {
    return (await fetch('/api/session', { credentials: 'same-origin' })).status !== 401;
  } catch {
    return true;
  }
}

// Who is signed in (GET /api/me): the header's "Sign out" shows the name (and disappears when sign-in is off), and
// <body data-role="admin|operator|viewer" data-auth="on|off"> lets the style sheet hide what the user may not do.
// The server refuses it anyway; hiding only spares people buttons that would answer 403.
const signOut = document.getElementById('signout');
fetch('/api/me', { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : null)).then((me) => {
  if (!me) return;
  document.body.dataset.role = me.role;
  document.body.dataset.auth = me.authEnabled ? 'on' : 'off';
  if (signOut && me.authEnabled) {
    signOut.hidden = false;
    signOut.querySelector('.user').textContent = me.name || '';
  }
}).catch(() => {});

export function fmtAgo(ms) {
  if (!isFinite(ms) || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function fmtDuration(ms) {
  if (!isFinite(ms) || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return (h > 0 ? h + ':' : '') + pad(m) + ':' + pad(s % 60);
}

export function fmtBytes(n) {
  if (n >= 1e9) return (n / 1e9).toFixed(2) + ' GB';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + ' MB';
  if (n >= 1e3) return (n / 1e3).toFixed(0) + ' kB';
  return n + ' B';
}

export function fmtBytesPerSec(n) {
  const bits = n * 8;
  if (bits >= 1e6) return (bits / 1e6).toFixed(1) + ' Mbit/s';
  return (bits / 1e3).toFixed(0) + ' kbit/s';
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 6000);
}
