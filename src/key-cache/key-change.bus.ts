/** A change that other replicas must hear about. Handlers only evict. */
export type ChangeEvent =
  | {
      readonly type: 'key.created' | 'key.updated' | 'key.deleted';
      readonly keyId: string;
      readonly digest: string;
    }
  | { readonly type: 'tenant.changed'; readonly tenantId: string };

export interface ChangeMessage {
  readonly event: ChangeEvent;
  /** Per-origin sequence number. */
  readonly seq: number;
  /** Epoch milliseconds at publish, for the propagation-lag measure. */
  readonly sentAt: number;
  /** Node id of the publishing replica. */
  readonly origin: string;
}

export interface BusListener {
  /** A message from any replica, this one included; may repeat or arrive out of order. */
  onMessage(message: ChangeMessage): void;
  /** Messages may have been missed (reconnect, silent subscription): drop everything cached. */
  onResync(reason: string): void;
}

export type BusState = 'embedded' | 'connecting' | 'subscribed' | 'disconnected';

/**
 * Carries change messages between replicas. The in-process bus serves a single node;
 * the Redis bus serves a cluster. Exactly one is chosen, from configuration.
 */
export abstract class KeyChangeBus {
  abstract readonly nodeId: string;
  abstract start(): Promise<void>;
  abstract publish(message: ChangeMessage): Promise<void>;
  abstract subscribe(listener: BusListener): void;
  abstract state(): BusState;
  abstract close(): Promise<void>;
}
