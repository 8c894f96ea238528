import type { LagHistogram } from '../cluster/lag-histogram';
/** A change that other replicas must hear about. Handlers only evict. */
export type ChangeEvent =
  | {
      readonly type: 'key.created' | 'key.updated' | 'key.deleted';
      readonly keyId: string;
      readonly digest: string;
    }
  | { readonly type: 'tenant.changed'; readonly tenantId: string }
  | { readonly type: 'ipAcl.changed'; readonly ipAccessControlListId: string }
  /** A signing key was made, renamed or deleted: tokens it signed are judged again. */
  | { readonly type: 'signingKey.changed'; readonly keyId: string }
  /** A user changed, was deactivated or deleted, or lost refresh tokens: its JWTs are judged again. */
  | { readonly type: 'user.changed'; readonly userId: string }
  /**
   * An entity, its grants (given or received) or its type changed or went: client-credentials
   * tokens naming it are judged again. `entityId` is the entity, or `entityTypeId` the type.
   */
  | { readonly type: 'entity.changed'; readonly entityId: string }
  | { readonly type: 'entityType.changed'; readonly entityTypeId: string }
  /** The system configuration (CORS) changed: every replica reads it again. */
  | { readonly type: 'systemConfiguration.changed' };

interface Envelope {
  /** Epoch milliseconds at publish, for the propagation-lag measure. */
  readonly sentAt: number;
  /** Node id of the publishing replica. */
  readonly origin: string;
}

export interface ChangeMessage extends Envelope {
  readonly kind: 'change';
  readonly event: ChangeEvent;
  /** Per-origin sequence number. */
  readonly seq: number;
}

/** An operator's propagation probe, and each replica's answer to it. */
export interface ProbeMessage extends Envelope {
  readonly kind: 'probe';
  readonly probeId: string;
}

export interface AckMessage extends Envelope {
  readonly kind: 'ack';
  readonly probeId: string;
  /** When the acknowledging replica heard the probe. */
  readonly receivedAt: number;
}

export type BusMessage = ChangeMessage | ProbeMessage | AckMessage;

export interface BusListener {
  /** A message from any replica, this one included; may repeat or arrive out of order. */
  onMessage(message: BusMessage): void;
  /** Messages may have been missed (reconnect, silent subscription): drop everything cached. */
  onResync(reason: string): void;
}

export type BusState = 'embedded' | 'connecting' | 'subscribed' | 'disconnected';

/** What a replica says about itself to the others. */
export interface NodePresence {
  nodeId: string;
  version: string;
  startedAt: number;
  cacheEntries: number;
  busState: BusState;
  lastMessageAt: number | null;
  reportedAt: number;
  /** Whether this replica's database answered at its last report (absent from older replicas). */
  database?: { healthy: boolean; latencyMs: number | null };
  /** Propagation lag of the changes this replica received (absent from older replicas). */
  propagationLag?: LagHistogram;
}

export interface BusStats {
  state: BusState;
  lastMessageAt: number | null;
  garbage: number;
  heartbeatMisses: number;
  resyncs: Record<string, number>;
  lastResyncAt: number | null;
  publishFailures: number;
}

/**
 * Carries messages between replicas, and their presence. The in-process bus serves a
 * single node; the Redis bus serves a cluster. Exactly one is chosen, from configuration.
 */
export abstract class KeyChangeBus {
  abstract readonly nodeId: string;
  abstract start(): Promise<void>;
  abstract publish(message: BusMessage): Promise<void>;
  abstract subscribe(listener: BusListener): void;
  abstract stats(): BusStats;
  /** Records this replica as live, for a while. */
  abstract announcePresence(presence: NodePresence, ttlSeconds: number): Promise<void>;
  /** The replicas that announced themselves recently. */
  abstract presences(): Promise<NodePresence[]>;
  abstract close(): Promise<void>;
}
