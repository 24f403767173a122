// Error codes the pages show. Hub refusals carry the server's own code (src/RealtimeHead.Server/README.md):
// SignalR delivers a HubException to clients as
//   "An unexpected error occurred invoking 'Join' on the server. HubException: unknown_avatar: ..."
// so the code is the word after "HubException: ". Everything else is classified here.

/** Messages shown beside a code; codes without an entry show the server's detail. */
export const errorText = Object.freeze({
  unauthorized: 'The server refused the access token (missing, expired or wrong). Paste a valid token.',
  unknown_avatar: 'That avatar does not exist (any more). Pick another one.',
  capacity_full: 'The server is full. Trying again shortly.',
  offer_rejected: 'The server could not use this browser\'s offer.',
  bad_message: 'The server rejected a message from this page.',
  server_unreachable: 'The server cannot be reached.',
  connection_lost: 'The connection to the server was lost.',
  media_failed: 'The media connection failed.',
  microphone_unavailable: 'The microphone is not available (permission denied or no device).',
  session_ended: 'The server ended the session.',
  too_large: 'The image is too large.',
  not_an_image: 'The file is not a PNG or JPEG image.',
  too_small: 'The image is too small (at least 64 px on its short side).',
  store_full: 'The avatar store is full.',
  unknown_error: 'Something went wrong.',
});

const hubCode = /HubException: ([a-z_]+):/;

/**
 * The stable code of an error thrown by SignalR, the hub, getUserMedia or fetch.
 * @param {unknown} error
 * @returns {string}
 */
export function errorCode(error) {
  if (error == null) {
    return 'unknown_error';
  }

  if (typeof error === 'object' && typeof error.code === 'string' && /^[a-z_]+$/.test(error.code)) {
    return error.code; // already classified (a ClientError, a problem-details body)
  }

  const name = typeof error === 'object' && typeof error.name === 'string' ? error.name : '';
  const text = String(typeof error === 'object' && 'message' in error ? error.message : error);
  const match = hubCode.exec(text);
  if (match) {
    return match[1];
  }

  // Negotiation answered 401/403: SignalR's HttpError carries statusCode, its message "Status code '401'".
  const status = typeof error === 'object' && typeof error.statusCode === 'number' ? error.statusCode : 0;
  if (status === 401 || status === 403 || /Status code '40[13]'/.test(text) || /\bUnauthorized\b/.test(text)) {
    return 'unauthorized';
  }

  if (['NotAllowedError', 'NotFoundError', 'NotReadableError', 'OverconstrainedError', 'SecurityError'].includes(name)) {
    return 'microphone_unavailable';
  }

  if (/Failed to fetch|Failed to complete negotiation|WebSocket failed|Failed to start the connection|NetworkError|ECONNREFUSED/i.test(text)) {
    return 'server_unreachable';
  }

  if (/connection (was )?(closed|stopped|disconnected)|Invocation canceled/i.test(text)) {
    return 'connection_lost';
  }

  return 'unknown_error';
}

/** An error with a code decided by this client. */
export class ClientError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

/**
 * A human line for a code, with the detail that came with it when there is no fixed text.
 * @param {string} code
 * @param {string} [detail]
 */
export function describeError(code, detail) {
  return errorText[code] ?? detail ?? code;
}
