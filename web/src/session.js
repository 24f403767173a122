// One call to the RealtimeHead server, shared by the call page and the kiosk page.
//
// Signalling is the SignalR hub /hubs/session (contract: src/RealtimeHead.Server/README.md):
//   Join(avatarId) -> { sessionId, iceServers, frameSize }; Offer(sdp) -> answer sdp; AddIceCandidate; BargeIn; Leave.
//   Server -> client: SessionEnded({ sessionId, reason }), Stats({ ... }) about once a second.
// Media is one RTCPeerConnection: the microphone goes out on a sendrecv audio transceiver (the avatar's voice comes back
// on it), the avatar's video comes in on a recvonly video transceiver. The server is ICE-lite: its candidates are in
// its answer, the browser's checks reach it.
//
// The session re-joins by itself when the hub reconnects (the server ends a session with its connection), when the
// peer connection fails, or when the server sends SessionEnded. With `retryForever` (the kiosk) it also retries a
// failed start and every refusal, with capped exponential backoff.

import { ClientError, errorCode } from './errors.js';
import { collectClientStats } from './stats.js';

/** @typedef {'idle'|'connecting'|'joining'|'negotiating'|'streaming'|'reconnecting'|'waiting'|'left'|'failed'} SessionStateName */

/** The states a session goes through; `streaming` = the media path is up. */
export const SessionState = Object.freeze({
  Idle: 'idle',
  Connecting: 'connecting',
  Joining: 'joining',
  Negotiating: 'negotiating',
  Streaming: 'streaming',
  Reconnecting: 'reconnecting',
  Waiting: 'waiting',
  Left: 'left',
  Failed: 'failed',
});

/** Refusals that retrying cannot fix without a change on the caller's side (the call page stops on them). */
const fatalCodes = new Set(['unauthorized', 'unknown_avatar', 'offer_rejected', 'bad_message', 'microphone_unavailable']);

/**
 * Capped exponential backoff with ±20 % jitter (so many kiosks do not retry in step).
 * @param {number} attempt 0-based
 * @param {number} maxMs
 */
export function backoffDelay(attempt, maxMs = 30000) {
  const base = Math.min(maxMs, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * Math.random()));
}

/**
 * @typedef {object} SessionOptions
 * @property {string} avatarId
 * @property {string} [token]            JWT for the hub (sent as access_token); empty in development mode
 * @property {string} [hubUrl]           default '/hubs/session'
 * @property {HTMLVideoElement} video    receives the avatar's video
 * @property {HTMLAudioElement} audio    plays the avatar's voice (Chromium only plays remote audio through an element)
 * @property {boolean} [retryForever]    kiosk: retry every failure forever
 * @property {number} [maxRetryDelayMs]  default 30 s
 * @property {number} [statsIntervalMs]  default 1 s
 * @property {() => Promise<MediaStream>} [microphone] default getUserMedia({ audio: true })
 */

export class RealtimeHeadSession extends EventTarget {
  /** @type {SessionOptions} */
  #options;
  /** @type {any} */
  #connection = null;
  /** @type {RTCPeerConnection|null} */
  #pc = null;
  /** @type {MediaStream|null} */
  #microphone = null;
  #wanted = false;
  #attempt = 0;
  #retryTimer = 0;
  #statsTimer = 0;
  #disconnectTimer = 0;
  #generation = 0;
  #statsMemory = {};

  /** @type {SessionStateName} */
  state = SessionState.Idle;
  /** @type {string|null} */
  sessionId = null;
  /** @type {{ code: string, message: string, at: number }|null} */
  lastError = null;
  /** @type {import('./stats.js').ClientStats|null} */
  clientStats = null;
  /** @type {any} the hub's latest Stats message */
  serverStats = null;
  /** Joins that succeeded (a re-join counts again). */
  joins = 0;
  /** @type {number|null} frame size from Join */
  frameSize = null;

  /** @param {SessionOptions} options */
  constructor(options) {
    super();
    if (!options?.avatarId || !options.video || !options.audio) {
      throw new TypeError('RealtimeHeadSession needs avatarId, video and audio.');
    }

    this.#options = { hubUrl: '/hubs/session', retryForever: false, maxRetryDelayMs: 30000, statsIntervalMs: 1000, ...options };
  }

  get avatarId() { return this.#options.avatarId; }

  /** The current peer connection (null between calls). */
  get peerConnection() { return this.#pc; }

  /** Connects, joins and negotiates. Rejects (call page) or keeps retrying (kiosk) on failure. */
  async start() {
    this.#wanted = true;
    this.#attempt = 0;
    this.lastError = null;
    await this.#run();
  }

  /** Ends the call: Leave on the hub, then closes media and the connection. Idempotent. */
  async leave() {
    this.#wanted = false;
    this.#generation++;
    clearTimeout(this.#retryTimer);
    const connection = this.#connection;
    this.#connection = null;
    if (connection && connection.state === 'Connected') {
      try {
        await connection.invoke('Leave');
      } catch {
        // The connection's end ends the session anyway.
      }
    }

    this.#closePeer();
    this.#stopMicrophone();
    if (connection) {
      await connection.stop().catch(() => {});
    }

    this.sessionId = null;
    this.#setState(SessionState.Left);
  }

  /** Barge-in: the server drops what it had queued; answers what had been sent. */
  async bargeIn() {
    if (!this.#connection || this.state !== SessionState.Streaming) {
      throw new ClientError('bad_message', 'Barge-in needs a running call.');
    }

    return this.#connection.invoke('BargeIn');
  }

  async #run() {
    const generation = ++this.#generation;
    try {
      await this.#ensureConnected();
      if (generation !== this.#generation) {
        return;
      }

      await this.#join(generation);
      this.#attempt = 0;
    } catch (error) {
      if (generation !== this.#generation || !this.#wanted) {
        return;
      }

      const code = errorCode(error);
      this.#fail(code, error);
      this.#closePeer();
      if (this.sessionId && this.#connection?.state === 'Connected') {
        // Joined but the offer failed: the server still holds the session, and a second Join would be refused.
        await this.#connection.invoke('Leave').catch(() => {});
      }

      this.sessionId = null;
      if (this.#options.retryForever || !fatalCodes.has(code)) {
        this.#scheduleRetry();
        return;
      }

      this.#wanted = false;
      this.#setState(SessionState.Failed);
      throw error;
    }
  }

  #scheduleRetry() {
    clearTimeout(this.#retryTimer);
    const delay = backoffDelay(this.#attempt++, this.#options.maxRetryDelayMs);
    if (!this.#options.retryForever && this.#attempt > 6) {
      this.#wanted = false;
      this.#setState(SessionState.Failed);
      return;
    }

    this.#setState(SessionState.Waiting, { retryInMs: delay });
    this.#retryTimer = setTimeout(() => { this.#run().catch(() => {}); }, delay);
  }

  async #ensureConnected() {
    if (this.#connection && this.#connection.state === 'Connected') {
      return;
    }

    if (this.#connection) {
      const stale = this.#connection;
      this.#connection = null;
      await stale.stop().catch(() => {});
    }

    const signalR = /** @type {any} */ (globalThis).signalR;
    if (!signalR) {
      throw new ClientError('unknown_error', 'signalr.min.js is not loaded.');
    }

    const token = this.#options.token;
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(this.#options.hubUrl, token ? { accessTokenFactory: () => token } : {})
      .withAutomaticReconnect({
        // The call page gives up after a minute (the user can press Start); the kiosk never does.
        nextRetryDelayInMilliseconds: (context) =>
          this.#options.retryForever || context.elapsedMilliseconds < 60000
            ? backoffDelay(context.previousRetryCount, this.#options.maxRetryDelayMs) : null,
      })
      .configureLogging(signalR.LogLevel.Warning)
      .build();

    connection.on('SessionEnded', (message) => {
      if (message && message.sessionId === this.sessionId) {
        this.#fail('session_ended', `The server ended the session: ${message.reason}`);
        this.#rejoin();
      }
    });
    connection.on('Stats', (message) => {
      if (message && message.sessionId === this.sessionId) {
        this.serverStats = message;
        this.dispatchEvent(new CustomEvent('stats'));
      }
    });
    connection.onreconnecting((error) => {
      if (connection !== this.#connection) {
        return;
      }

      this.#fail('connection_lost', error ?? 'The connection to the server was lost.');
      this.#closePeer();
      this.sessionId = null;
      this.#setState(SessionState.Reconnecting);
    });
    connection.onreconnected(() => {
      // A new connection id: the server ended the old connection's session, so join afresh.
      if (connection === this.#connection && this.#wanted) {
        this.#run().catch(() => {});
      }
    });
    connection.onclose((error) => {
      if (connection !== this.#connection || !this.#wanted) {
        return;
      }

      // Automatic reconnection gave up (call page) or the connection closed for good: start over or stop.
      this.#connection = null;
      this.#closePeer();
      this.sessionId = null;
      this.#fail('connection_lost', error ?? 'The connection to the server closed.');
      if (this.#options.retryForever) {
        this.#scheduleRetry();
      } else {
        this.#wanted = false;
        this.#setState(SessionState.Failed);
      }
    });

    this.#connection = connection;
    this.#setState(SessionState.Connecting);
    await connection.start();
  }

  /** @param {number} generation */
  async #join(generation) {
    const connection = this.#connection;
    this.#setState(SessionState.Joining);
    const microphone = await this.#ensureMicrophone();
    const join = await connection.invoke('Join', this.#options.avatarId);
    if (generation !== this.#generation) {
      return;
    }

    this.sessionId = join.sessionId;
    this.frameSize = join.frameSize ?? null;
    this.serverStats = null;
    const iceServers = (join.iceServers ?? []).map((server) => {
      /** @type {RTCIceServer} */
      const entry = { urls: server.urls };
      if (server.username) entry.username = server.username;
      if (server.credential) entry.credential = server.credential;
      return entry;
    });

    this.#setState(SessionState.Negotiating);
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.#pc = pc;
    this.#statsMemory = {};
    const track = microphone.getAudioTracks()[0];
    pc.addTransceiver(track, { direction: 'sendrecv', streams: [microphone] });
    pc.addTransceiver('video', { direction: 'recvonly' });

    pc.ontrack = (event) => {
      const stream = new MediaStream([event.track]);
      if (event.track.kind === 'video') {
        this.#options.video.srcObject = stream;
        this.#options.video.play().catch(() => {});
      } else {
        this.#options.audio.srcObject = stream;
        this.#options.audio.play().catch(() => this.dispatchEvent(new CustomEvent('autoplayblocked')));
      }

      this.dispatchEvent(new CustomEvent('track', { detail: event.track }));
    };
    pc.onicecandidate = (event) => {
      // Trickled for the record only: the ICE-lite server validates and ignores them.
      if (event.candidate && event.candidate.candidate && connection.state === 'Connected') {
        connection.invoke('AddIceCandidate', event.candidate.toJSON()).catch(() => {});
      }
    };
    pc.onconnectionstatechange = () => this.#onPeerState(pc, generation);

    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = await connection.invoke('Offer', pc.localDescription.sdp);
    if (generation !== this.#generation || pc !== this.#pc) {
      return;
    }

    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    this.joins++;
    this.#startStats(pc);
    this.dispatchEvent(new CustomEvent('joined', { detail: join }));
  }

  /**
   * @param {RTCPeerConnection} pc
   * @param {number} generation
   */
  #onPeerState(pc, generation) {
    if (pc !== this.#pc || generation !== this.#generation) {
      return;
    }

    clearTimeout(this.#disconnectTimer);
    switch (pc.connectionState) {
      case 'connected':
        this.#attempt = 0;
        this.#setState(SessionState.Streaming);
        break;
      case 'disconnected':
        // Often transient (a lost check): give ICE five seconds to recover before starting over.
        this.#disconnectTimer = setTimeout(() => {
          if (pc === this.#pc && pc.connectionState === 'disconnected') {
            this.#fail('media_failed', 'The media connection stayed disconnected.');
            this.#rejoin();
          }
        }, 5000);
        break;
      case 'failed':
        this.#fail('media_failed', 'The media connection failed.');
        this.#rejoin();
        break;
      default:
        break;
    }
  }

  /** Leaves the current session (if the server still has it) and joins again on the same connection. */
  #rejoin() {
    if (!this.#wanted) {
      return;
    }

    const generation = ++this.#generation;
    const connection = this.#connection;
    this.#closePeer();
    this.sessionId = null;
    this.#setState(SessionState.Reconnecting);
    const again = async () => {
      if (connection && connection.state === 'Connected') {
        await connection.invoke('Leave').catch(() => {});
      }

      if (generation === this.#generation && this.#wanted) {
        clearTimeout(this.#retryTimer);
        const delay = backoffDelay(this.#attempt++, this.#options.maxRetryDelayMs);
        this.#retryTimer = setTimeout(() => { this.#run().catch(() => {}); }, delay);
      }
    };
    again();
  }

  async #ensureMicrophone() {
    const live = this.#microphone?.getAudioTracks().some((t) => t.readyState === 'live');
    if (this.#microphone && live) {
      return this.#microphone;
    }

    // The server runs its own voice gate: the browser's processing would only change the voice the avatar speaks with.
    const get = this.#options.microphone
      ?? (() => navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: false, autoGainControl: false } }));
    this.#microphone = await get();
    return this.#microphone;
  }

  /** @param {RTCPeerConnection} pc */
  #startStats(pc) {
    clearInterval(this.#statsTimer);
    this.#statsTimer = setInterval(async () => {
      if (pc !== this.#pc) {
        return;
      }

      try {
        this.clientStats = await collectClientStats(pc, this.clientStats, this.#statsMemory);
        this.dispatchEvent(new CustomEvent('stats'));
      } catch {
        // A closing connection has no stats.
      }
    }, this.#options.statsIntervalMs);
  }

  #closePeer() {
    clearTimeout(this.#disconnectTimer);
    clearInterval(this.#statsTimer);
    const pc = this.#pc;
    this.#pc = null;
    if (pc) {
      pc.ontrack = null;
      pc.onicecandidate = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
  }

  #stopMicrophone() {
    this.#microphone?.getTracks().forEach((t) => t.stop());
    this.#microphone = null;
  }

  /**
   * @param {string} code
   * @param {unknown} error
   */
  #fail(code, error) {
    const message = typeof error === 'string' ? error : String(/** @type {any} */ (error)?.message ?? error);
    this.lastError = { code, message, at: Date.now() };
    this.dispatchEvent(new CustomEvent('error', { detail: this.lastError }));
  }

  /**
   * @param {SessionStateName} state
   * @param {object} [detail]
   */
  #setState(state, detail) {
    if (state === SessionState.Streaming) {
      this.lastError = null;
    }

    this.state = state;
    this.dispatchEvent(new CustomEvent('statechange', { detail: { state, ...detail } }));
  }
}

/**
 * Publishes a read-only view of the session as window.realtimeHead for tests and diagnostics (web/README.md).
 * @param {RealtimeHeadSession} session
 * @param {string} page 'index' | 'kiosk'
 */
export function exposeForTests(session, page) {
  /** @type {any} */ (window).realtimeHead = {
    page,
    get state() { return session.state; },
    get sessionId() { return session.sessionId; },
    get avatarId() { return session.avatarId; },
    get lastError() { return session.lastError?.code ?? null; },
    get lastErrorMessage() { return session.lastError?.message ?? null; },
    get joins() { return session.joins; },
    get frameSize() { return session.frameSize; },
    get stats() { return { client: session.clientStats, server: session.serverStats }; },
    leave: () => session.leave(),
    bargeIn: () => session.bargeIn(),
  };
}
