import type { AppConfig } from '../config/config.schema';
import { ChangeHub } from './change.hub';
import { ChangeEvent } from './key-change.bus';
import { ReplicaCache } from './replica.cache';

export interface ReplicaView {
  /** A change message, from this replica or another. */
  onEvent(event: ChangeEvent): void;
  /** Reads everything again. */
  refresh(): Promise<void>;
}

/**
 * Keeps a replica's in-memory view of some rows current: each change message goes to
 * the view, and it is read again after a bus resync and every `periodMs`, so lost
 * messages are healed within that. Returns what stops it, for shutdown.
 */
export function keepFresh(hub: ChangeHub, periodMs: number, view: ReplicaView): () => void {
  const refresh = () => void view.refresh().catch(() => undefined);
  hub.listen({ onChange: ({ event }) => view.onEvent(event), onResync: refresh });
  const timer = setInterval(refresh, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface HeldOptions<V> {
  readonly maxEntries: number;
  /** Names the load in its deadline's error. */
  readonly what: string;
  /** Each change message, from this replica or another: evict what it names. */
  readonly onChange: (event: ChangeEvent, cache: ReplicaCache<V>) => void;
}

/**
 * Rows held per replica as API keys are: trusted for the cache TTL at most (the bound on a
 * lost message), each load bounded by the query deadline, emptied on a bus resync, and
 * told of every change message.
 */
export function heldPerReplica<V>(
  hub: ChangeHub,
  config: Pick<AppConfig, 'apiKeyCacheTtlSeconds' | 'databaseQueryTimeoutMs'>,
  load: (key: string) => Promise<V>,
  options: HeldOptions<V>,
): ReplicaCache<V> {
  const cache = new ReplicaCache(load, {
    ttlMs: config.apiKeyCacheTtlSeconds * 1000,
    maxEntries: options.maxEntries,
    deadlineMs: config.databaseQueryTimeoutMs,
    what: options.what,
  });
  hub.listen({
    onChange: ({ event }) => options.onChange(event, cache),
    onResync: () => cache.flush(),
  });
  return cache;
}
