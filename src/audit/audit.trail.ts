import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { OneWriteAtATime } from '../common/one-write-at-a-time';
import { newId } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { ApiKeyEventEntity, ApiKeyEventType } from './api-key-event.entity';
import { ApiKeyEventRepository } from './api-key-event.repository';

/** What a change event says; the trail adds its id and instant. */
export interface KeyEvent {
  readonly type: Exclude<ApiKeyEventType, 'refused'>;
  readonly keyId: string;
  readonly tenantId: string | null;
  readonly callerKeyId: string;
  readonly address: string | null;
  readonly changes: Record<string, unknown> | null;
  readonly keySnapshot: Record<string, unknown>;
}

/** Most events waiting to be written; past that they are dropped (and counted), never waited on. */
const MAX_QUEUED = 10_000;
const FLUSH_EVERY_MS = 250;
const WRITE_BATCH = 200;
/** A refused use of a key is recorded at most once a minute per replica, with how many it stands for. */
const REFUSAL_SAMPLE_MS = 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * The API keys' audit trail, written off the request path: events wait in a bounded
 * queue and are inserted in batches, so writing one never slows or fails the request that
 * caused it (when the queue is full, or the database refuses a batch, the events are
 * counted as dropped). Refused uses of a key are sampled per key, so a flood of them
 * cannot fill the disk. Events older than `AUDIT_RETENTION_DAYS` are pruned in small
 * batches once an hour.
 */
@Injectable()
export class AuditTrail implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditTrail');
  private queue: ApiKeyEventEntity[] = [];
  private readonly writes = new OneWriteAtATime();
  private flushTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly refusals = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly events: ApiKeyEventRepository,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.flushTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    setTimeout(() => void this.prune(), 5_000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.flushTimer !== null) clearInterval(this.flushTimer);
    if (this.pruneTimer !== null) clearInterval(this.pruneTimer);
    await this.flush();
  }

  /** A change to a key. */
  changed(event: KeyEvent): void {
    this.enqueue({ ...event, id: newId(), instant: Date.now() });
  }

  /** A refused use of an existing key (expired, endpoint denied, IP blocked, wrong tenant). */
  refused(keyId: string, tenantId: string | null, reason: string, address: string | null): void {
    const now = Date.now();
    const last = this.refusals.get(keyId);
    if (last !== undefined && now - last.at < REFUSAL_SAMPLE_MS) {
      last.suppressed++;
      return;
    }
    if (this.refusals.size >= MAX_QUEUED) this.refusals.clear();
    this.refusals.set(keyId, { at: now, suppressed: 0 });
    this.enqueue({
      id: newId(),
      keyId,
      tenantId,
      type: 'refused',
      callerKeyId: null,
      address,
      instant: now,
      changes: { reason, ...(last === undefined ? {} : { alsoRefusedSinceLast: last.suppressed }) },
      keySnapshot: null,
    });
  }

  /** Writes what is queued; one write at a time. */
  flush(): Promise<void> {
    return this.writes.run(() => {
      if (this.queue.length === 0) return null;
      const batch = this.queue;
      this.queue = [];
      return this.write(batch);
    });
  }

  private enqueue(event: ApiKeyEventEntity): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.metrics.auditEvents.inc({ outcome: 'dropped' });
      return;
    }
    this.queue.push(event);
  }

  private async write(batch: ApiKeyEventEntity[]): Promise<void> {
    for (let i = 0; i < batch.length; i += WRITE_BATCH) {
      const part = batch.slice(i, i + WRITE_BATCH);
      try {
        await this.events.insertMany(part);
        this.metrics.auditEvents.inc({ outcome: 'written' }, part.length);
      } catch (error) {
        this.metrics.auditEvents.inc({ outcome: 'dropped' }, part.length);
        this.logger.warn(
          `dropped ${part.length} audit events: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async prune(): Promise<void> {
    const before = Date.now() - this.config.auditRetentionDays * DAY_MS;
    try {
      while ((await this.events.pruneBatch(before)) > 0);
    } catch (error) {
      this.logger.warn(
        `pruning the audit trail failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
