// The call page: pick or upload a portrait, start the microphone, see and hear the avatar speak with your voice.
// Query parameters: ?avatar=<id> preselects, ?token=<jwt> sets the token, ?autostart=1 starts without a click.

import { describeError, errorCode } from './errors.js';
import { RealtimeHeadSession, SessionState, exposeForTests } from './session.js';
import { renderOverlay } from './stats.js';

const tokenKey = 'realtimehead.token';
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

const params = new URLSearchParams(location.search);
const tokenInput = $('token');
tokenInput.value = params.get('token') ?? localStorage.getItem(tokenKey) ?? '';
tokenInput.addEventListener('change', () => {
  localStorage.setItem(tokenKey, tokenInput.value.trim());
  loadAvatars();
});

/** @type {string} */
let selectedAvatar = params.get('avatar') ?? 'default';
/** @type {RealtimeHeadSession|null} */
let session = null;
/** @type {string[]} */
let thumbnailUrls = [];

function authHeaders() {
  const token = tokenInput.value.trim();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Shows an error by its code (or hides the line).
 * @param {string|null} code
 * @param {string} [detail]
 */
function showError(code, detail) {
  const line = $('error');
  line.hidden = !code;
  line.textContent = code ? `${code}: ${describeError(code, detail)}` : '';
}

/**
 * The problem-details code of a failed API response (RFC 9457 with a `code` extension).
 * @param {Response} response
 */
async function problemCode(response) {
  if (response.status === 401 || response.status === 403) {
    return { code: 'unauthorized', detail: `HTTP ${response.status}` };
  }

  try {
    const body = await response.json();
    return { code: body.code ?? 'unknown_error', detail: body.detail ?? body.title ?? `HTTP ${response.status}` };
  } catch {
    return { code: 'unknown_error', detail: `HTTP ${response.status}` };
  }
}

async function loadAvatars() {
  const list = $('avatar-list');
  const status = $('avatar-status');
  status.textContent = 'Loading avatars…';
  try {
    const response = await fetch('/api/avatars', { headers: authHeaders() });
    if (!response.ok) {
      const { code, detail } = await problemCode(response);
      status.textContent = `${code}: ${describeError(code, detail)}`;
      return;
    }

    /** @type {Array<{id: string, isDefault: boolean, width: number, height: number}>} */
    const avatars = await response.json();
    thumbnailUrls.forEach((url) => URL.revokeObjectURL(url));
    thumbnailUrls = [];
    if (!avatars.some((a) => a.id === selectedAvatar)) {
      selectedAvatar = avatars.find((a) => a.isDefault)?.id ?? avatars[0]?.id ?? 'default';
    }

    list.replaceChildren(...avatars.map((avatar) => avatarItem(avatar)));
    status.textContent = `${avatars.length} avatar${avatars.length === 1 ? '' : 's'}`;
  } catch (error) {
    const code = errorCode(error);
    status.textContent = `${code}: ${describeError(code)}`;
  }
}

/** @param {{id: string, isDefault: boolean, width: number, height: number}} avatar */
function avatarItem(avatar) {
  const item = document.createElement('li');
  const label = document.createElement('label');
  const radio = document.createElement('input');
  radio.type = 'radio';
  radio.name = 'avatar';
  radio.value = avatar.id;
  radio.checked = avatar.id === selectedAvatar;
  radio.addEventListener('change', () => { selectedAvatar = avatar.id; });
  const image = document.createElement('img');
  image.alt = avatar.isDefault ? 'Default avatar' : `Avatar ${avatar.id}`;
  image.title = `${avatar.id} (${avatar.width}×${avatar.height})`;
  label.append(radio, image);
  item.append(label);

  // The image API needs the bearer token too, which an <img src> cannot send: fetch it and show a blob.
  fetch(`/api/avatars/${encodeURIComponent(avatar.id)}/image`, { headers: authHeaders() })
    .then((response) => (response.ok ? response.blob() : null))
    .then((blob) => {
      if (blob) {
        const url = URL.createObjectURL(blob);
        thumbnailUrls.push(url);
        image.src = url;
      }
    })
    .catch(() => {});
  return item;
}

async function upload() {
  const input = $('upload');
  const file = input.files?.[0];
  if (!file) {
    return;
  }

  const form = new FormData();
  form.append('file', file);
  $('avatar-status').textContent = 'Uploading…';
  try {
    const response = await fetch('/api/avatars', { method: 'POST', body: form, headers: authHeaders() });
    if (!response.ok) {
      const { code, detail } = await problemCode(response);
      $('avatar-status').textContent = `${code}: ${describeError(code, detail)}`;
      return;
    }

    const avatar = await response.json();
    selectedAvatar = avatar.id;
    await loadAvatars();
  } catch (error) {
    const code = errorCode(error);
    $('avatar-status').textContent = `${code}: ${describeError(code)}`;
  } finally {
    input.value = '';
  }
}

function updateControls() {
  const state = session?.state ?? SessionState.Idle;
  const active = session !== null && state !== SessionState.Left && state !== SessionState.Failed;
  $('start').disabled = active;
  $('leave').disabled = !active;
  $('barge-in').disabled = state !== SessionState.Streaming;
  $('state').textContent = session?.sessionId ? `${state} · ${session.sessionId}` : state;
}

async function start() {
  if (session) {
    await session.leave();
  }

  showError(null);
  localStorage.setItem(tokenKey, tokenInput.value.trim());
  session = new RealtimeHeadSession({
    avatarId: selectedAvatar,
    token: tokenInput.value.trim(),
    video: $('remote-video'),
    audio: $('remote-audio'),
  });
  exposeForTests(session, 'index');
  const current = session;
  current.addEventListener('statechange', updateControls);
  current.addEventListener('error', (event) => {
    const detail = /** @type {CustomEvent} */ (event).detail;
    showError(detail.code, detail.message);
  });
  current.addEventListener('stats', () => renderOverlay($('stats'), current.clientStats, current.serverStats));
  updateControls();
  try {
    await current.start();
  } catch {
    // Shown by the error event; the state says failed.
  }

  updateControls();
}

$('start').addEventListener('click', () => { start(); });
$('leave').addEventListener('click', async () => {
  await session?.leave();
  updateControls();
});
$('barge-in').addEventListener('click', async () => {
  try {
    await session?.bargeIn();
  } catch (error) {
    showError(errorCode(error), String(/** @type {any} */ (error)?.message ?? error));
  }
});
$('upload').addEventListener('change', () => { upload(); });
$('refresh').addEventListener('click', () => { loadAvatars(); });

renderOverlay($('stats'), null, null);
updateControls();
loadAvatars();
if (params.get('autostart') === '1') {
  start();
}
