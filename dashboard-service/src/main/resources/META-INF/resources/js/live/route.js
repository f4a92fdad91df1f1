// What the live page shows, in its URL: "#group=outside&camera=cam1". A reload, a bookmark or a link opens the same
// view; Back returns to the previous one. Ids follow the camera-id rules, so they need no escaping beyond encoding.

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** { group, camera } from the address, each an id or null (anything malformed is ignored). */
export function readRoute() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const valid = (v) => (v && ID.test(v) ? v : null);
  return { group: valid(p.get('group')), camera: valid(p.get('camera')) };
}

/** Puts the view in the address; a new history entry unless {@code replace}. */
export function writeRoute({ group, camera }, replace = false) {
  const p = new URLSearchParams();
  if (group) p.set('group', group);
  if (camera) p.set('camera', camera);
  const hash = p.toString();
  const url = location.pathname + location.search + (hash ? '#' + hash : '');
  if (url === location.pathname + location.search + location.hash) return;
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
}
