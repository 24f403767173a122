// node --test: the pure parts of the client (no browser needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientError, describeError, errorCode } from '../src/errors.js';

test('errorCode_HubRefusal_IsTheWordAfterHubException', () => {
  const error = new Error("An unexpected error occurred invoking 'Join' on the server. HubException: unknown_avatar: There is no avatar 'x'.");
  assert.equal(errorCode(error), 'unknown_avatar');
  assert.equal(errorCode(new Error('... HubException: capacity_full: The server is at its limit')), 'capacity_full');
});

test('errorCode_Negotiation401_IsUnauthorized', () => {
  const httpError = Object.assign(new Error('Unauthorized: Status code \'401\''), { statusCode: 401 });
  assert.equal(errorCode(httpError), 'unauthorized');
  assert.equal(errorCode(new Error("Failed to complete negotiation with the server: Error: : Status code '401'")), 'unauthorized');
});

test('errorCode_MicrophoneRefused_IsMicrophoneUnavailable', () => {
  const denied = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
  assert.equal(errorCode(denied), 'microphone_unavailable');
});

test('errorCode_ServerDown_IsServerUnreachable', () => {
  assert.equal(errorCode(new TypeError('Failed to fetch')), 'server_unreachable');
  assert.equal(errorCode(new Error('Failed to start the connection: Error: WebSocket failed to connect.')), 'server_unreachable');
});

test('errorCode_ClassifiedOrOdd_KeepsCodeOrIsUnknown', () => {
  assert.equal(errorCode(new ClientError('media_failed', 'x')), 'media_failed');
  assert.equal(errorCode({ code: 'too_large' }), 'too_large');
  assert.equal(errorCode({ code: 'Not A Code' }), 'unknown_error');
  for (const odd of [null, undefined, 42, '', {}, [], 'HubException: ', new Error('HubException: 123: x')]) {
    assert.equal(typeof errorCode(odd), 'string');
  }

  assert.equal(errorCode(null), 'unknown_error');
  assert.equal(errorCode(new Error('HubException: 123: x')), 'unknown_error');
});

test('describeError_KnownCode_HasText_UnknownCode_UsesDetail', () => {
  assert.match(describeError('unauthorized'), /token/);
  assert.equal(describeError('something_new', 'the detail'), 'the detail');
  assert.equal(describeError('something_new'), 'something_new');
});
