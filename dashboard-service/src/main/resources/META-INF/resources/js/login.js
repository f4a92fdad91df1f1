// Sign-in page: posts JSON to /api/login, then goes where the user was headed (the server checks `next`).
const params = new URLSearchParams(location.search);
const form = document.getElementById('signin');
const error = document.getElementById('error');
const button = document.getElementById('submit');
// only a path on this server, never `//other.host` (the server checks again)
const localPath = (p) => (/^\/(?![/\\])[\x21-\x7e]*$/.test(p || '') ? p : '/');
const next = localPath(params.get('next'));
document.getElementById('next').value = next;

const MESSAGES = {
  wrong: 'Wrong user name or password.',
  throttled: 'Too many failed attempts. Wait a minute and try again.',
  unavailable: 'The dashboard cannot start a session right now (is NATS running?). Try again in a moment.',
};

function showError(text) {
  error.textContent = text;
  error.hidden = !text;
}

showError(MESSAGES[params.get('error')] || '');

// already signed in (or sign-in is off): nothing to do here
fetch('/api/session', { credentials: 'same-origin' }).then((res) => {
  if (res.ok) location.replace(next);
}).catch(() => {});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  button.disabled = true;
  showError('');
  try {
    const res = await fetch('/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        username: document.getElementById('username').value,
        password: document.getElementById('password').value,
        next: document.getElementById('next').value,
      }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      location.replace(localPath(body.next));
      return;
    }
    if (res.status === 429) {
      const wait = res.headers.get('Retry-After');
      showError(`Too many failed attempts. Try again in ${wait || 60} s.`);
    } else if (res.status === 401) {
      showError(MESSAGES.wrong);
      document.getElementById('password').select();
    } else {
      showError(body.message || `Sign-in failed (${res.status}).`);
    }
  } catch (err) {
    showError('The dashboard is not reachable: ' + err.message);
  } finally {
    button.disabled = false;
  }
});
