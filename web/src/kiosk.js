// The kiosk page: a full-screen avatar that joins by itself and never gives up. The server idles the face while
// nobody speaks (frames never stop), so the page has nothing to do between visitors.
// Query parameters: ?avatar=<id> (default: the bundled default avatar), ?token=<jwt> (else the call page's stored one).

import { describeError } from './errors.js';
import { RealtimeHeadSession, SessionState, exposeForTests } from './session.js';

const params = new URLSearchParams(location.search);
const video = /** @type {HTMLVideoElement} */ (document.getElementById('remote-video'));
const audio = /** @type {HTMLAudioElement} */ (document.getElementById('remote-audio'));
const badge = /** @type {HTMLElement} */ (document.getElementById('badge'));

const session = new RealtimeHeadSession({
  avatarId: params.get('avatar') || 'default',
  token: params.get('token') ?? localStorage.getItem('realtimehead.token') ?? '',
  video,
  audio,
  retryForever: true,
});
exposeForTests(session, 'kiosk');

// The badge shows only problems, and only once they last (a re-join takes a second or two and needs no badge).
let badgeTimer = 0;
function updateBadge() {
  clearTimeout(badgeTimer);
  if (session.state === SessionState.Streaming) {
    badge.hidden = true;
    return;
  }

  badgeTimer = setTimeout(() => {
    const error = session.lastError;
    badge.textContent = error ? `${error.code}: ${describeError(error.code, error.message)}` : `${session.state}…`;
    badge.title = error?.message ?? '';
    badge.hidden = false;
  }, 3000);
}

session.addEventListener('statechange', updateBadge);
session.addEventListener('error', updateBadge);

// Browsers may refuse to play sound before a user gesture: the first touch or key press turns it on.
session.addEventListener('autoplayblocked', () => {
  badge.textContent = 'Touch the screen to turn the sound on';
  badge.hidden = false;
  const resume = () => {
    audio.play().then(() => { badge.hidden = true; }).catch(() => {});
  };
  document.addEventListener('pointerdown', resume, { once: true });
  document.addEventListener('keydown', resume, { once: true });
});

window.addEventListener('pagehide', () => { session.leave(); });
updateBadge();
session.start().catch(() => {});
