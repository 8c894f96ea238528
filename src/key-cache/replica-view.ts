import { ChangeHub } from './change.hub';
import { ChangeEvent } from './key-change.bus';

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
