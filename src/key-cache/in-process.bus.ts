import { BusListener, BusMessage, BusStats, KeyChangeBus, NodePresence } from './key-change.bus';

/** The single-node bus: delivery within this process only. */
export class InProcessBus extends KeyChangeBus {
  private readonly listeners: BusListener[] = [];
  private presence: NodePresence | null = null;
  private lastMessageAt: number | null = null;

  constructor(readonly nodeId: string) {
    super();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  publish(message: BusMessage): Promise<void> {
    this.lastMessageAt = Date.now();
    for (const listener of this.listeners) listener.onMessage(message);
    return Promise.resolve();
  }

  subscribe(listener: BusListener): void {
    this.listeners.push(listener);
  }

  stats(): BusStats {
    return {
      state: 'embedded',
      lastMessageAt: this.lastMessageAt,
      garbage: 0,
      heartbeatMisses: 0,
      resyncs: {},
      lastResyncAt: null,
      publishFailures: 0,
    };
  }

  announcePresence(presence: NodePresence): Promise<void> {
    this.presence = presence;
    return Promise.resolve();
  }

  presences(): Promise<NodePresence[]> {
    return Promise.resolve(this.presence === null ? [] : [this.presence]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
