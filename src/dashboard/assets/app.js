// @ts-check
// Entry of the single-page UI: a hash router over three pages.
import { renderEvent } from './event.js';
import { renderOverview } from './overview.js';
import { renderSync } from './sync.js';
import { api, errorBox, hashFor, readHash } from './util.js';

// Both are in index.html.
const view = /** @type {HTMLElement} */ (document.getElementById('view'));
const picker = /** @type {HTMLSelectElement} */ (document.getElementById('workspace'));
let renderId = 0;

async function loadWorkspaces() {
  const { workspaces } = await api('workspaces');
  picker.replaceChildren(...workspaces.map((w) => new Option(w.name, w.name)));
  /** @type {HTMLLabelElement} */ (picker.closest('label')).hidden = workspaces.length < 2;
  const { params } = readHash();
  if (params.ws) picker.value = params.ws;
  return workspaces;
}

picker.addEventListener('change', () => {
  const { route, params } = readHash();
  const page = route[0] === 'sync' ? ['sync'] : [];
  location.hash = hashFor(page, {
    ...params,
    ws: picker.value,
    q: route[0] === 'event' ? undefined : params.q,
  });
});

async function render() {
  const id = ++renderId;
  const { route, params } = readHash();
  if (params.ws) picker.value = params.ws;
  for (const a of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll('[data-nav]')
  )) {
    a.classList.toggle('active', a.dataset.nav === (route[0] === 'sync' ? 'sync' : 'overview'));
  }
  // Each page renders into a fresh container; a stale render (the user clicked on) is dropped.
  const page = document.createElement('div');
  page.className = 'page';
  /** @type {import('./util.js').PageContext} */
  const ctx = { params, isCurrent: () => id === renderId };
  try {
    if (route[0] === 'event' && route[1] !== undefined) await renderEvent(page, route[1], ctx);
    else if (route[0] === 'sync') await renderSync(page, ctx);
    else await renderOverview(page, ctx);
  } catch (err) {
    page.replaceChildren(errorBox(err, render));
  }
  if (id === renderId) {
    view.replaceChildren(page);
    page.dispatchEvent(new Event('attached'));
    document.body.dataset.ready = route[0] ?? 'overview';
  }
}

window.addEventListener('hashchange', render);
// Side by side: the first page does not wait for the picker's list (one round trip less
// before the first chart; the server reads the list once for both).
loadWorkspaces().catch(() => []);
render();
