import { webcrypto } from 'node:crypto';
import { validateWebhook } from 'replicate';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from '../../../shared/ai/webhook-signature.ts';

const secret = generateWebhookSecret();
const now = Date.UTC(2025, 5, 1, 12, 0, 0);
const timestamp = Math.floor(now / 1000);
const webhookId = 'msg_2xT0standin0000000000000001';
const rawBody = JSON.stringify({
  id: 'gm3qorzdhgbfurvjtvhg6dckhu',
  status: 'succeeded',
  output: 'https://x/y.mp4',
});

function signedHeaders(overrides: { id?: string; ts?: number; body?: string; key?: string } = {}) {
  const ts = overrides.ts ?? timestamp;
  const id = overrides.id ?? webhookId;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signWebhook({
      secret: overrides.key ?? secret,
      webhookId: id,
      timestamp: ts,
      rawBody: overrides.body ?? rawBody,
    }),
  };
}

function failure(run: () => unknown): WebhookSignatureFailure | 'no error' {
  try {
    run();
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookSignatureError);
    return (err as WebhookSignatureError).reason;
  }
}

describe('verifyWebhookSignature', () => {
  it('accepts a valid signature and returns the id and timestamp', () => {
    expect(verifyWebhookSignature({ secret, headers: signedHeaders(), rawBody, now })).toEqual({
      webhookId,
      timestamp,
    });
  });

  it('generates whsec_ secrets holding 32 random bytes', () => {
    const other = generateWebhookSecret();
    expect(other).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(other.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(other).not.toBe(secret);
  });

  it('accepts when any v1 entry matches (only the 2nd of several is valid)', () => {
    const headers = signedHeaders();
    const wrong = signWebhook({ secret: generateWebhookSecret(), webhookId, timestamp, rawBody });
    headers['webhook-signature'] = `${wrong} ${headers['webhook-signature']} v1,AAAA`;
    expect(verifyWebhookSignature({ secret, headers, rawBody, now }).webhookId).toBe(webhookId);
  });

  it('refuses a tampered body, a tampered id and a wrong secret', () => {
    const headers = signedHeaders();
    expect(failure(() => verifyWebhookSignature({ secret, headers, rawBody: `${rawBody} `, now }))).toBe(
      'bad_signature',
    );
    expect(
      failure(() =>
        verifyWebhookSignature({ secret, headers: { ...headers, 'webhook-id': 'msg_other' }, rawBody, now }),
      ),
    ).toBe('bad_signature');
    expect(
      failure(() => verifyWebhookSignature({ secret: generateWebhookSecret(), headers, rawBody, now })),
    ).toBe('bad_signature');
  });

  it('refuses a 6-minute-old and a 6-minute-ahead timestamp, accepts inside the window', () => {
    const old = signedHeaders({ ts: timestamp - 360 });
    const ahead = signedHeaders({ ts: timestamp + 360 });
    expect(failure(() => verifyWebhookSignature({ secret, headers: old, rawBody, now }))).toBe('stale');
    expect(failure(() => verifyWebhookSignature({ secret, headers: ahead, rawBody, now }))).toBe('stale');
    const edge = signedHeaders({ ts: timestamp - 299 });
    expect(verifyWebhookSignature({ secret, headers: edge, rawBody, now }).timestamp).toBe(timestamp - 299);
    expect(
      verifyWebhookSignature({ secret, headers: old, rawBody, now, toleranceSeconds: 600 }).timestamp,
    ).toBe(timestamp - 360);
  });

  it('refuses missing headers', () => {
    const headers = signedHeaders();
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _dropped, ...rest } = headers;
      expect(failure(() => verifyWebhookSignature({ secret, headers: rest, rawBody, now }))).toBe(
        'missing_headers',
      );
    }
    expect(
      failure(() =>
        verifyWebhookSignature({ secret, headers: { ...headers, 'webhook-signature': ' ' }, rawBody, now }),
      ),
    ).toBe('missing_headers');
  });

  it('refuses a non-numeric timestamp', () => {
    for (const ts of ['abc', '1.5e9', '-1', `${timestamp}x`, new Date(now).toISOString()]) {
      const headers = { ...signedHeaders(), 'webhook-timestamp': ts };
      expect(failure(() => verifyWebhookSignature({ secret, headers, rawBody, now }))).toBe('bad_timestamp');
    }
  });

  it('ignores entries of other versions (v2 only → refused)', () => {
    const headers = signedHeaders();
    const base64 = headers['webhook-signature'].slice('v1,'.length);
    headers['webhook-signature'] = `v2,${base64} v1a,${base64}`;
    expect(failure(() => verifyWebhookSignature({ secret, headers, rawBody, now }))).toBe('bad_signature');
  });

  it('looks headers up case-insensitively (records and fetch Headers)', () => {
    const signed = signedHeaders();
    const upper = {
      'Webhook-Id': signed['webhook-id'],
      'WEBHOOK-TIMESTAMP': signed['webhook-timestamp'],
      'Webhook-Signature': signed['webhook-signature'],
    };
    expect(verifyWebhookSignature({ secret, headers: upper, rawBody, now }).webhookId).toBe(webhookId);
    expect(verifyWebhookSignature({ secret, headers: new Headers(upper), rawBody, now }).webhookId).toBe(
      webhookId,
    );
  });

  it('verifies raw bytes exactly (a base64-decoded body)', () => {
    const bytes = Buffer.from(rawBody, 'utf8');
    expect(verifyWebhookSignature({ secret, headers: signedHeaders(), rawBody: bytes, now }).timestamp).toBe(
      timestamp,
    );
    // Re-serialised JSON (different spacing) is not the signed content.
    const reformatted = JSON.stringify(JSON.parse(rawBody), null, 1);
    expect(
      failure(() => verifyWebhookSignature({ secret, headers: signedHeaders(), rawBody: reformatted, now })),
    ).toBe('bad_signature');
  });

  it('throws a configuration error (not a signature error) for an empty secret', () => {
    expect(() =>
      verifyWebhookSignature({ secret: 'whsec_', headers: signedHeaders(), rawBody, now }),
    ).toThrow(TypeError);
  });
});

describe('agreement with the replicate package (validateWebhook, 1.4.0)', () => {
  // The replicate typings name the DOM `Crypto` type; Node's webcrypto implements it.
  const crypto = webcrypto as unknown as Parameters<typeof validateWebhook>[1];
  const replicateSays = (headers: Record<string, string>, body: string) =>
    validateWebhook(
      {
        id: headers['webhook-id']!,
        timestamp: headers['webhook-timestamp']!,
        signature: headers['webhook-signature']!,
        body,
        secret,
      },
      crypto,
    );

  it('agrees on a valid signature, and on a tampered body', async () => {
    const headers = signedHeaders({ ts: Math.floor(Date.now() / 1000) });
    expect(verifyWebhookSignature({ secret, headers, rawBody }).webhookId).toBe(webhookId);
    expect(await replicateSays(headers, rawBody)).toBe(true);
    expect(await replicateSays(headers, `${rawBody} `)).toBe(false);
    expect(failure(() => verifyWebhookSignature({ secret, headers, rawBody: `${rawBody} ` }))).toBe(
      'bad_signature',
    );
  });

  it('is stricter on timestamps: replicate accepts a year-2001 timestamp, we refuse it', async () => {
    const headers = signedHeaders({ ts: 1_000_000_000 });
    expect(await replicateSays(headers, rawBody)).toBe(true);
    expect(failure(() => verifyWebhookSignature({ secret, headers, rawBody }))).toBe('stale');
  });
});
