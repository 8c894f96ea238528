import { decode, encode } from './bus.codec';

const origin = 'node-a';
const sentAt = 1_700_000_000_000;

describe('bus codec', () => {
  it.each([
    {
      kind: 'change',
      event: { type: 'key.deleted', keyId: 'k1', digest: 'd1' },
      seq: 3,
      origin,
      sentAt,
    },
    { kind: 'change', event: { type: 'tenant.changed', tenantId: 't1' }, seq: 4, origin, sentAt },
    {
      kind: 'change',
      event: { type: 'ipAcl.changed', ipAccessControlListId: 'a1' },
      seq: 5,
      origin,
      sentAt,
    },
    { kind: 'change', event: { type: 'signingKey.changed', keyId: 's1' }, seq: 6, origin, sentAt },
    { kind: 'change', event: { type: 'user.changed', userId: 'u1' }, seq: 7, origin, sentAt },
    { kind: 'change', event: { type: 'entity.changed', entityId: 'e1' }, seq: 8, origin, sentAt },
    {
      kind: 'change',
      event: { type: 'entityType.changed', entityTypeId: 'et1' },
      seq: 9,
      origin,
      sentAt,
    },
    { kind: 'change', event: { type: 'systemConfiguration.changed' }, seq: 10, origin, sentAt },
    { kind: 'probe', probeId: 'p1', origin, sentAt },
    { kind: 'ack', probeId: 'p1', receivedAt: sentAt + 2, origin, sentAt },
    { kind: 'beat', origin, sentAt },
  ] as const)('reads back what it writes: $kind', (message) => {
    expect(decode(encode(message))).toEqual(message);
  });

  it.each([
    ['not JSON', '{nope'],
    ['a JSON scalar', '42'],
    ['no origin', JSON.stringify({ kind: 'beat', sentAt })],
    ['no sentAt', JSON.stringify({ kind: 'beat', origin })],
    // JSON.parse reads 1e400 as Infinity: no arithmetic on it must reach a metric.
    [
      'an infinite sentAt',
      `{"kind":"change","event":{"type":"key.deleted","keyId":"k","digest":"d"},"seq":1,"origin":"${origin}","sentAt":-1e400}`,
    ],
    [
      'an infinite receivedAt',
      `{"kind":"ack","probeId":"p","receivedAt":1e400,"origin":"${origin}","sentAt":${sentAt}}`,
    ],
    ['an unknown kind', JSON.stringify({ kind: 'shout', origin, sentAt })],
    [
      'a change without a digest',
      JSON.stringify({
        kind: 'change',
        event: { type: 'key.deleted', keyId: 'k1' },
        seq: 1,
        origin,
        sentAt,
      }),
    ],
    [
      'an unknown event',
      JSON.stringify({
        kind: 'change',
        event: { type: 'key.exploded', keyId: 'k', digest: 'd' },
        seq: 1,
        origin,
        sentAt,
      }),
    ],
    [
      'a change without seq',
      JSON.stringify({
        kind: 'change',
        event: { type: 'tenant.changed', tenantId: 't' },
        origin,
        sentAt,
      }),
    ],
    [
      'an ACL change without its id',
      JSON.stringify({ kind: 'change', event: { type: 'ipAcl.changed' }, seq: 1, origin, sentAt }),
    ],
    [
      'a signing-key change without its id',
      JSON.stringify({
        kind: 'change',
        event: { type: 'signingKey.changed' },
        seq: 1,
        origin,
        sentAt,
      }),
    ],
    [
      'a user change with a numeric id',
      JSON.stringify({
        kind: 'change',
        event: { type: 'user.changed', userId: 7 },
        seq: 1,
        origin,
        sentAt,
      }),
    ],
    [
      'an entity change without its id',
      JSON.stringify({ kind: 'change', event: { type: 'entity.changed' }, seq: 1, origin, sentAt }),
    ],
    ['an ack without receivedAt', JSON.stringify({ kind: 'ack', probeId: 'p', origin, sentAt })],
    ['an over-long origin', JSON.stringify({ kind: 'beat', origin: 'x'.repeat(201), sentAt })],
  ])('reads garbage (%s) as null', (_, raw) => {
    expect(decode(raw)).toBeNull();
  });

  it('keeps only the fields it knows', () => {
    const raw = JSON.stringify({ kind: 'probe', probeId: 'p', origin, sentAt, extra: 'x' });
    expect(decode(raw)).toEqual({ kind: 'probe', probeId: 'p', origin, sentAt });
  });
});
