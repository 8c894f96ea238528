import { BusListener, BusState, ChangeMessage, KeyChangeBus } from './key-change.bus';

/** The single-node bus: delivery within this process only. */
export class InProcessBus extends KeyChangeBus {
  private readonly listeners: BusListener[] = [];

  constructor(readonly nodeId: string) {
    super();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  publish(message: ChangeMessage): Promise<void> {
    for (const listener of this.listeners) listener.onMessage(message);
    return Promise.resolve();
  }

  subscribe(listener: BusListener): void {
    this.listeners.push(listener);
  }

  state(): BusState {
    return 'embedded';
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
