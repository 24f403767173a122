// Figures for the stats overlay: the browser's own (RTCPeerConnection.getStats(), W3C webrtc-stats) and the server's
// (the hub's Stats message, about once a second per session). Every figure may be missing: the overlay says "n/a".

/**
 * @typedef {object} ClientStats
 * @property {number|null} fps                 decoded video frames per second over the last interval
 * @property {number|null} framesDecoded       inbound-rtp video framesDecoded
 * @property {number|null} framesDropped       inbound-rtp video framesDropped
 * @property {number|null} frameWidth
 * @property {number|null} frameHeight
 * @property {number|null} jitterBufferMs      video jitter-buffer delay per emitted frame over the last interval, ms
 * @property {number|null} audioEnergy         inbound-rtp audio totalAudioEnergy (grows while the avatar's voice plays)
 * @property {number|null} audioPacketsReceived
 * @property {number|null} audioPacketsSent    outbound-rtp audio packetsSent (the microphone on the wire)
 * @property {number|null} roundTripMs         nominated candidate pair's currentRoundTripTime, ms
 * @property {number} at                       performance.now() of the sample
 */

/**
 * Reads the peer connection's statistics and derives rates against the previous sample.
 * @param {RTCPeerConnection} pc
 * @param {ClientStats|null} previous
 * @param {{framesDecoded?: number, jitterBufferDelay?: number, jitterBufferEmittedCount?: number, at?: number}} memory
 *   raw counters of the previous sample (updated in place)
 * @returns {Promise<ClientStats>}
 */
export async function collectClientStats(pc, previous, memory) {
  const report = await pc.getStats();
  const at = performance.now();
  /** @type {ClientStats} */
  const stats = {
    fps: null, framesDecoded: null, framesDropped: null, frameWidth: null, frameHeight: null, jitterBufferMs: null,
    audioEnergy: null, audioPacketsReceived: null, audioPacketsSent: null, roundTripMs: null, at,
  };

  report.forEach((entry) => {
    if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
      stats.framesDecoded = entry.framesDecoded ?? null;
      stats.framesDropped = entry.framesDropped ?? null;
      stats.frameWidth = entry.frameWidth ?? null;
      stats.frameHeight = entry.frameHeight ?? null;
      const seconds = memory.at !== undefined ? (at - memory.at) / 1000 : 0;
      if (seconds > 0 && memory.framesDecoded !== undefined && entry.framesDecoded !== undefined) {
        stats.fps = (entry.framesDecoded - memory.framesDecoded) / seconds;
      } else if (typeof entry.framesPerSecond === 'number') {
        stats.fps = entry.framesPerSecond;
      }

      const emitted = (entry.jitterBufferEmittedCount ?? 0) - (memory.jitterBufferEmittedCount ?? 0);
      if (emitted > 0 && entry.jitterBufferDelay !== undefined) {
        stats.jitterBufferMs = ((entry.jitterBufferDelay - (memory.jitterBufferDelay ?? 0)) / emitted) * 1000;
      } else if (previous) {
        stats.jitterBufferMs = previous.jitterBufferMs;
      }

      memory.framesDecoded = entry.framesDecoded;
      memory.jitterBufferDelay = entry.jitterBufferDelay;
      memory.jitterBufferEmittedCount = entry.jitterBufferEmittedCount;
    } else if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      stats.audioEnergy = entry.totalAudioEnergy ?? null;
      stats.audioPacketsReceived = entry.packetsReceived ?? null;
    } else if (entry.type === 'outbound-rtp' && entry.kind === 'audio') {
      stats.audioPacketsSent = entry.packetsSent ?? null;
    } else if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded'
      && typeof entry.currentRoundTripTime === 'number') {
      stats.roundTripMs = entry.currentRoundTripTime * 1000;
    }
  });

  memory.at = at;
  return stats;
}

/** Names of the server's degradation ladder rungs (RealtimeHead.Pipeline DegradationLevel). */
const rungs = ['full', 'no super-resolution', 'low resolution', 'repeat last frame'];

/**
 * A number with a unit, or "n/a".
 * @param {unknown} value
 * @param {string} unit
 * @param {number} [digits]
 */
export function formatValue(value, unit = '', digits = 0) {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(digits)}${unit}` : 'n/a';
}

/**
 * The overlay's rows: [label, text].
 * @param {ClientStats|null} client
 * @param {any} server the hub's Stats message (camelCase JSON), or null
 * @returns {Array<[string, string]>}
 */
export function overlayRows(client, server) {
  const level = server && typeof server.degradationLevel === 'number'
    ? `${server.degradationLevel} (${rungs[server.degradationLevel] ?? '?'})` : 'n/a';
  return [
    ['fps (received)', formatValue(client?.fps, '', 1)],
    ['fps (sent)', formatValue(server?.fps, '', 1)],
    ['frames decoded', formatValue(client?.framesDecoded)],
    ['jitter buffer', formatValue(client?.jitterBufferMs, ' ms')],
    ['mouth→wire p50 / p95', `${formatValue(server?.mouthToWireP50Ms, ' ms')} / ${formatValue(server?.mouthToWireP95Ms, ' ms')}`],
    ['lip offset', formatValue(server?.lipOffsetMs, ' ms', 1)],
    ['A/V delay', formatValue(server?.avDelayMs, ' ms')],
    ['degradation', level],
    ['round trip', formatValue(client?.roundTripMs, ' ms')],
  ];
}

/**
 * Writes the overlay into a <dl>-like element (replaces its children).
 * @param {HTMLElement} element
 * @param {ClientStats|null} client
 * @param {any} server
 */
export function renderOverlay(element, client, server) {
  const fragment = document.createDocumentFragment();
  for (const [label, text] of overlayRows(client, server)) {
    const term = document.createElement('dt');
    term.textContent = label;
    const value = document.createElement('dd');
    value.textContent = text;
    fragment.append(term, value);
  }

  element.replaceChildren(fragment);
}
