import { isObject } from '../common/fields';
import { BusMessage, ChangeEvent } from './key-change.bus';

/** A replica's heartbeat: it must hear its own beats back, or its subscription is silent. */
export interface Beat {
  readonly kind: 'beat';
  readonly origin: string;
  readonly sentAt: number;
}

export type WireMessage = BusMessage | Beat;

const KEY_EVENTS = new Set(['key.created', 'key.updated', 'key.deleted']);

/** A number JSON can carry and arithmetic can use (`1e400` parses to Infinity). */
function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function text(value: unknown, max = 200): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function event(value: unknown): ChangeEvent | null {
  if (!isObject(value) || typeof value.type !== 'string') return null;
  if (KEY_EVENTS.has(value.type) && text(value.keyId) && text(value.digest)) {
    return { type: value.type as 'key.created', keyId: value.keyId, digest: value.digest };
  }
  if (value.type === 'tenant.changed' && text(value.tenantId))
    return { type: 'tenant.changed', tenantId: value.tenantId };
  if (value.type === 'ipAcl.changed' && text(value.ipAccessControlListId))
    return { type: 'ipAcl.changed', ipAccessControlListId: value.ipAccessControlListId };
  if (value.type === 'signingKey.changed' && text(value.keyId))
    return { type: 'signingKey.changed', keyId: value.keyId };
  if (value.type === 'user.changed' && text(value.userId))
    return { type: 'user.changed', userId: value.userId };
  if (value.type === 'entity.changed' && text(value.entityId))
    return { type: 'entity.changed', entityId: value.entityId };
  if (value.type === 'systemConfiguration.changed') return { type: 'systemConfiguration.changed' };
  if (value.type === 'entityType.changed' && text(value.entityTypeId))
    return { type: 'entityType.changed', entityTypeId: value.entityTypeId };
  return null;
}

/** Reads one message off the channel; anything malformed is null (counted and ignored). */
export function decode(raw: string): WireMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(parsed) || !text(parsed.origin) || !finite(parsed.sentAt)) return null;
  const { origin, sentAt } = parsed;
  switch (parsed.kind) {
    case 'beat':
      return { kind: 'beat', origin, sentAt };
    case 'probe':
      return text(parsed.probeId)
        ? { kind: 'probe', probeId: parsed.probeId, origin, sentAt }
        : null;
    case 'ack':
      return text(parsed.probeId) && finite(parsed.receivedAt)
        ? { kind: 'ack', probeId: parsed.probeId, receivedAt: parsed.receivedAt, origin, sentAt }
        : null;
    case 'change': {
      const change = event(parsed.event);
      return change !== null && finite(parsed.seq)
        ? { kind: 'change', event: change, seq: parsed.seq, origin, sentAt }
        : null;
    }
    default:
      return null;
  }
}

export function encode(message: WireMessage): string {
  return JSON.stringify(message);
}
