// Recordings browser: everything goes through the dashboard's /api/recordings proxy to the recorder.
import { api, esc, fmtBytes, fmtDuration, signedIn, toSignIn } from './common.js';

const rows = document.getElementById('rows');
const message = document.getElementById('message');
const cameraSel = document.getElementById('camera');

function showMessage(text) {
  message.textContent = text;
  message.hidden = !text;
}

async function loadCameras() {
  try {
    const cams = await api('/api/cameras');
    for (const c of cams) {
      const o = document.createElement('option');
      o.value = c.cameraId;
      o.textContent = c.status && c.status.name ? `${c.status.name} (${c.cameraId})` : c.cameraId;
      cameraSel.appendChild(o);
    }
    const wanted = new URLSearchParams(location.search).get('camera');
    if (wanted) cameraSel.value = wanted;
  } catch (e) { /* the list still works without names */ }
}

async function search() {
  const q = new URLSearchParams({ limit: '200' });
  if (cameraSel.value) q.set('camera', cameraSel.value);
  const from = document.getElementById('from').value;
  const to = document.getElementById('to').value;
  if (from) q.set('from', new Date(from).toISOString());
  if (to) q.set('to', new Date(to).toISOString());
  rows.innerHTML = '';
  try {
    const list = await api('/api/recordings?' + q);
    showMessage(list.length ? '' : 'No recordings match.');
    for (const r of list) rows.appendChild(row(r));
  } catch (e) {
    showMessage(e.status === 503 ? 'The recorder is not reachable right now: ' + e.message : 'Cannot list recordings: ' + e.message);
  }
}

function row(r) {
  const tr = document.createElement('tr');
  const start = new Date(r.start);
  const length = r.end ? Date.parse(r.end) - start : null;
  const id = encodeURIComponent(r.id);
  tr.innerHTML = `<td>${esc(r.cameraId)}</td><td>${esc(start.toLocaleString())}</td>
    <td>${r.open ? 'recording…' : esc(fmtDuration(length))}</td><td>${esc(r.frames)}</td><td>${esc(fmtBytes(r.bytes || 0))}</td>
    <td class="actions"><button type="button" class="play">Play</button>
      <a href="/api/recordings/${id}/file" download><button type="button">Download</button></a>
      <a href="/api/recordings/${id}/export.mp4" download><button type="button">MP4</button></a></td>`;
  tr.querySelector('.play').addEventListener('click', () => play(r));
  return tr;
}

function play(r) {
  const player = document.getElementById('player');
  const img = document.getElementById('playback');
  img.onerror = async () => {
    if (!(await signedIn())) toSignIn();
    else showMessage('Playback failed: the recorder did not stream this recording.');
  };
  img.src = `/api/recordings/${encodeURIComponent(r.id)}/play?offset=0`;
  document.getElementById('playing').textContent = `${r.cameraId} · ${new Date(r.start).toLocaleString()}`;
  player.hidden = false;
}

document.getElementById('close-player').addEventListener('click', () => {
  const img = document.getElementById('playback');
  img.removeAttribute('src'); // ends the MJPEG stream
  document.getElementById('player').hidden = true;
});
document.getElementById('filter').addEventListener('submit', (e) => { e.preventDefault(); search(); });
loadCameras().then(search);
