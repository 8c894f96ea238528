import { Injectable } from '@nestjs/common';

/**
 * Whether this replica still wants new requests. A replica told to stop first drains: it
 * goes on answering every request while its health check says "not ready" (503), until the
 * load balancers and Kubernetes have stopped sending it any; only then does it stop
 * accepting connections.
 */
@Injectable()
export class Readiness {
  private drainingSince: number | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  drain(): void {
    this.drainingSince ??= Date.now();
  }
}
