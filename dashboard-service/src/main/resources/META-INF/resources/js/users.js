// The users page (admins): every user with role, cameras, enabled and a new password, each row saved on its own
// (PUT /api/users/<name>), and a form to add one (POST /api/users). The server enforces everything; this page only
// shows what it answers.
import { api } from './common.js';

const $ = (id) => document.getElementById(id);
const ROLES = ['viewer', 'operator', 'admin'];

function say(text, bad) {
  const m = $('message');
  m.textContent = text;
  m.hidden = !text;
  m.classList.toggle('bad', !!bad);
}

/** "cam1, cam2" to ["cam1", "cam2"]. */
function cameraList(text) {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

function row(user) {
  const tr = el('tr', { className: 'user-row' });
  tr.dataset.user = user.name;
  const role = el('select', { className: 'role' });
  for (const r of ROLES) role.append(el('option', { value: r, textContent: r, selected: r === user.role }));
  const all = el('input', { type: 'checkbox', className: 'all-cameras', checked: user.allCameras });
  const cams = el('input', { className: 'cameras', value: user.cameras.join(', '), placeholder: 'cam1, cam2' });
  cams.disabled = user.allCameras;
  all.addEventListener('change', () => { cams.disabled = all.checked; });
  const enabled = el('input', { type: 'checkbox', className: 'enabled', checked: user.enabled });
  const password = el('input', { type: 'password', className: 'password', autocomplete: 'new-password',
    placeholder: 'unchanged' });
  const save = el('button', { type: 'button', className: 'save', textContent: 'Save' });
  save.addEventListener('click', async () => {
    const change = { role: role.value, enabled: enabled.checked, allCameras: all.checked,
      cameras: all.checked ? [] : cameraList(cams.value) };
    if (password.value) change.password = password.value;
    try {
      await api('/api/users/' + encodeURIComponent(user.name), { method: 'PUT',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(change) });
      password.value = '';
      say(`Saved ${user.name}.`);
      await load();
    } catch (e) {
      say(`${user.name}: ${e.message}`, true);
    }
  });
  tr.append(el('td', { className: 'name', textContent: user.name }), el('td', {}, role),
    el('td', {}, el('label', {}, all, ' all'), ' ', cams), el('td', {}, enabled), el('td', {}, password),
    el('td', {}, save));
  return tr;
}

async function load() {
  const users = await api('/api/users');
  const body = $('users').querySelector('tbody');
  body.replaceChildren(...users.map(row));
}

$('add').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const f = form.elements; // form.name would be the form's own name
  const user = { name: f.name.value.trim(), role: f.role.value, password: f.password.value,
    allCameras: f.allCameras.checked, cameras: cameraList(f.cameras.value) };
  try {
    await api('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(user) });
    form.reset();
    say(`Added ${user.name}.`);
    await load();
  } catch (e) {
    say(`${user.name}: ${e.message}`, true);
  }
});

load().catch((e) => say(e.message, true));
