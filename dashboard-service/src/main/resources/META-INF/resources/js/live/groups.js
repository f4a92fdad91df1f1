// Camera groups and their layouts (GET/PUT/DELETE /api/groups), and the dialog that edits one.
import { api } from '../common.js';

export const listGroups = () => api('/api/groups');

export const saveGroup = (id, group) => api(`/api/groups/${encodeURIComponent(id)}`, {
  method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(group),
});

export const deleteGroup = (id) => api(`/api/groups/${encodeURIComponent(id)}`,
  { method: 'DELETE', headers: { 'Content-Type': 'application/json' } });

/** An id for a new group from its name ("Shop floor" -> "shop-floor"), not one of {@code taken}. */
export function idFor(name, taken) {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase()
    .slice(0, 56) || 'group';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/**
 * The group dialog of index.html: name, columns, order and members (checkboxes, in the order "as listed" keeps;
 * ↑ moves a camera up). {@code onSaved(group)} and {@code onDeleted(id)} tell the page.
 */
export class GroupEditor {
  constructor(dialog, { onSaved, onDeleted }) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.list = dialog.querySelector('.members');
    this.error = dialog.querySelector('.form-error');
    this.onSaved = onSaved;
    this.onDeleted = onDeleted;
    this.group = null;
    this.taken = new Set();
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    dialog.querySelector('.cancel').addEventListener('click', () => dialog.close());
    this.deleteButton = dialog.querySelector('.delete');
    this.deleteButton.addEventListener('click', () => this.remove());
  }

  /**
   * Opens the dialog for {@code group} (null: a new one) with {@code cameras} ([{id, name}] by name) to choose from;
   * {@code taken} are the ids of the groups that exist.
   */
  open(group, cameras, taken) {
    this.group = group;
    this.taken = taken;
    this.error.hidden = true;
    this.dialog.querySelector('h2').textContent = group ? `Edit group “${group.name}”` : 'New group';
    this.form.elements.name.value = group ? group.name : '';
    this.form.elements.columns.value = String(group ? group.columns : 0);
    this.form.elements.order.value = group ? group.order : 'name';
    this.deleteButton.hidden = !group;
    // members first, in their saved order; then every other camera by name; members no longer known stay listed
    const known = new Map(cameras.map((c) => [c.id, c]));
    const members = group ? group.cameras : [];
    const rows = members.map((id) => ({ id, name: known.has(id) ? known.get(id).name : id, on: true }));
    for (const c of cameras) if (!members.includes(c.id)) rows.push({ id: c.id, name: c.name, on: false });
    this.list.replaceChildren(...rows.map((r) => this.row(r)));
    this.dialog.showModal();
    this.form.elements.name.focus();
  }

  row({ id, name, on }) {
    const li = document.createElement('li');
    li.dataset.camera = id;
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = id;
    box.checked = on;
    label.append(box, ' ', name === id ? id : `${name} (${id})`);
    const up = document.createElement('button');
    up.type = 'button';
    up.className = 'up';
    up.textContent = '↑';
    up.title = 'Move up';
    up.setAttribute('aria-label', `Move ${name} up`);
    up.addEventListener('click', () => { if (li.previousElementSibling) li.parentNode.insertBefore(li, li.previousElementSibling); });
    li.append(label, up);
    return li;
  }

  async save() {
    const f = this.form.elements;
    const body = {
      name: f.name.value.trim(),
      cameras: [...this.list.querySelectorAll('input[type=checkbox]:checked')].map((b) => b.value),
      columns: Number(f.columns.value),
      order: f.order.value,
    };
    const id = this.group ? this.group.id : idFor(body.name, this.taken);
    try {
      const saved = await saveGroup(id, body);
      this.dialog.close();
      this.onSaved(saved);
    } catch (e) {
      this.error.textContent = `Not saved: ${e.message}`;
      this.error.hidden = false;
    }
  }

  async remove() {
    if (!this.group || !confirm(`Delete the group “${this.group.name}”? Its cameras stay.`)) return;
    try {
      await deleteGroup(this.group.id);
      this.dialog.close();
      this.onDeleted(this.group.id);
    } catch (e) {
      this.error.textContent = `Not deleted: ${e.message}`;
      this.error.hidden = false;
    }
  }
}
