import { Logger } from '@nestjs/common';
import { BusListener, ChangeEvent, ChangeMessage, KeyChangeBus } from './key-change.bus';

/**
 * Where changes meet the bus. A change is applied here first (read-your-writes:
 * the replica that committed it enforces it before answering), then published for
 * the others. A publish that fails is logged and counted; the write stands, and
 * other replicas converge within the cache TTL.
 */
export class ChangeHub implements BusListener {
  private readonly listeners: BusListener[] = [];
  private seq = 0;
  private readonly logger = new Logger('ChangeHub');
  publishFailures = 0;
  lastMessageAt: number | null = null;

  constructor(private readonly bus: KeyChangeBus) {
    bus.subscribe(this);
  }

  listen(listener: BusListener): void {
    this.listeners.push(listener);
  }

  /** Call after the database commit. */
  async announce(...events: ChangeEvent[]): Promise<void> {
    for (const event of events) {
      const message: ChangeMessage = {
        event,
        seq: ++this.seq,
        sentAt: Date.now(),
        origin: this.bus.nodeId,
      };
      for (const listener of this.listeners) listener.onMessage(message);
      try {
        await this.bus.publish(message);
      } catch (error) {
        this.publishFailures++;
        this.logger.warn(
          `change not published (${event.type}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  onMessage(message: ChangeMessage): void {
    this.lastMessageAt = Date.now();
    for (const listener of this.listeners) listener.onMessage(message);
  }

  onResync(reason: string): void {
    for (const listener of this.listeners) listener.onResync(reason);
  }
}
