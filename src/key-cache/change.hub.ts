import { Logger } from '@nestjs/common';
import {
  BusListener,
  BusMessage,
  ChangeEvent,
  ChangeMessage,
  KeyChangeBus,
} from './key-change.bus';
import { preciseNow } from './clock';

/**
 * Told, for each change another replica sent, how long it took until it was applied here
 * (negative when the two clocks disagree by more than the lag).
 */
export type LagObserver = (message: ChangeMessage, milliseconds: number) => void;

export interface ChangeListener {
  onChange(message: ChangeMessage): void;
  onResync(reason: string): void;
}

/**
 * Where changes meet the bus. A change is applied here first (read-your-writes: the
 * replica that committed it enforces it before answering), then published for the
 * others without waiting: with the bus away the write still succeeds, the failure is
 * counted, and other replicas converge within the cache TTL.
 */
export class ChangeHub implements BusListener {
  private readonly listeners: ChangeListener[] = [];
  private seq = 0;
  private readonly logger = new Logger('ChangeHub');

  constructor(
    private readonly bus: KeyChangeBus,
    private readonly observeLag: LagObserver = () => undefined,
  ) {
    bus.subscribe(this);
  }

  listen(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Call after the database commit. */
  announce(...events: ChangeEvent[]): Promise<void> {
    for (const event of events) {
      const message: ChangeMessage = {
        kind: 'change',
        event,
        seq: ++this.seq,
        sentAt: preciseNow(),
        origin: this.bus.nodeId,
      };
      for (const listener of this.listeners) listener.onChange(message);
      this.bus.publish(message).catch((error: unknown) => {
        this.logger.warn(
          `change not published (${event.type}): ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    return Promise.resolve();
  }

  onMessage(message: BusMessage): void {
    if (message.kind !== 'change') return;
    for (const listener of this.listeners) listener.onChange(message);
    if (message.origin !== this.bus.nodeId) {
      this.observeLag(message, preciseNow() - message.sentAt);
    }
  }

  onResync(reason: string): void {
    for (const listener of this.listeners) listener.onResync(reason);
  }
}
