import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectClientStats, formatValue, overlayRows } from '../src/stats.js';
import { backoffDelay } from '../src/session.js';

/** A stand-in RTCPeerConnection whose getStats() answers the given entries. */
const peer = (entries) => ({ getStats: async () => new Map(entries.map((e, i) => [String(i), e])) });

test('formatValue_MissingOrNotFinite_IsNa', () => {
  assert.equal(formatValue(null), 'n/a');
  assert.equal(formatValue(undefined, ' ms'), 'n/a');
  assert.equal(formatValue(Number.NaN), 'n/a');
  assert.equal(formatValue('12'), 'n/a');
  assert.equal(formatValue(12.345, ' ms', 1), '12.3 ms');
});

test('overlayRows_NoStats_ShowNaEverywhere', () => {
  const rows = overlayRows(null, null);
  assert.equal(rows.length, 9);
  for (const [, text] of rows) {
    assert.match(text, /^n\/a( \/ n\/a)?$/);
  }
});

test('overlayRows_ServerStats_ShowLatencyLipOffsetAndRung', () => {
  const rows = Object.fromEntries(overlayRows(
    { fps: 24.96, framesDecoded: 300, jitterBufferMs: 21.4, roundTripMs: 1 },
    { fps: 25.01, mouthToWireP50Ms: 139.7, mouthToWireP95Ms: 144.3, lipOffsetMs: 0.167, avDelayMs: 138.4, degradationLevel: 3 }));
  assert.equal(rows['fps (received)'], '25.0');
  assert.equal(rows['mouth→wire p50 / p95'], '140 ms / 144 ms');
  assert.equal(rows['lip offset'], '0.2 ms');
  assert.equal(rows.degradation, '3 (repeat last frame)');
});

test('collectClientStats_TwoSamples_DerivesFpsAndJitterBufferDelay', async () => {
  const memory = {};
  const video = (decoded, delay, emitted) => ({ type: 'inbound-rtp', kind: 'video', framesDecoded: decoded, jitterBufferDelay: delay, jitterBufferEmittedCount: emitted, frameWidth: 128, frameHeight: 128 });
  const first = await collectClientStats(peer([video(100, 2.0, 100), { type: 'inbound-rtp', kind: 'audio', totalAudioEnergy: 0.5, packetsReceived: 10 }]), null, memory);
  memory.at -= 1000; // one second between the samples
  const second = await collectClientStats(peer([video(125, 2.5, 125), { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.004 }]), first, memory);

  assert.equal(first.fps, null); // no interval yet and no framesPerSecond
  assert.equal(first.audioEnergy, 0.5);
  assert.ok(Math.abs(second.fps - 25) < 0.5, `fps ${second.fps}`);
  assert.ok(Math.abs(second.jitterBufferMs - 20) < 1e-9, `jitter buffer ${second.jitterBufferMs}`);
  assert.equal(second.roundTripMs, 4);
  assert.equal(second.frameWidth, 128);
});

test('backoffDelay_GrowsToTheCapWithJitter', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = Math.min(30000, 500 * 2 ** Math.min(attempt, 16));
    const delay = backoffDelay(attempt);
    assert.ok(delay >= base * 0.8 && delay <= base * 1.2, `attempt ${attempt}: ${delay}`);
  }

  assert.ok(backoffDelay(100, 5000) <= 6000);
});
