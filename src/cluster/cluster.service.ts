import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { VERSION } from '../common/version';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { EvictionLane } from '../key-cache/eviction-lane';
import { EVICTION_LANE, NODE_ID } from '../key-cache/key-cache.module';
import { AckMessage, BusMessage, KeyChangeBus, NodePresence } from '../key-cache/key-change.bus';
import { Metrics } from '../metrics/metrics.service';
import { StatusService } from '../status/status.service';
import { LagHistogram, lagHistogram } from './lag-histogram';

const PRESENCE_TTL_SECONDS = 15;

interface PendingProbe {
  sentAt: number;
  acks: Map<string, { latencyMs: number; heardAfterMs: number }>;
  expected: Set<string>;
  done: () => void;
}

/**
 * The cluster as operators see it: each replica registers itself on the bus with an
 * expiry and answers probes, so propagation can be observed and tested live.
 */
@Injectable()
export class ClusterService implements OnModuleInit, OnApplicationShutdown {
  private readonly startedAt = Date.now();
  private readonly probes = new Map<string, PendingProbe>();
  private timer: NodeJS.Timeout | null = null;
  /** Measured at each report, so that describing the cluster never waits on the database. */
  private database: NonNullable<NodePresence['database']> = { healthy: true, latencyMs: null };
  private lag: LagHistogram = lagHistogram([]);

  constructor(
    private readonly bus: KeyChangeBus,
    private readonly cache: ApiKeyCache,
    @Inject(NODE_ID) private readonly nodeId: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVICTION_LANE) private readonly lane: EvictionLane | null,
    private readonly status: StatusService,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      onMessage: (message) => this.onMessage(message),
      onResync: () => undefined,
    });
    void this.report();
    this.timer = setInterval(() => void this.report(), Math.max(1_000, this.config.busHeartbeatMs));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  self(): NodePresence {
    const stats = this.bus.stats();
    return {
      nodeId: this.nodeId,
      version: VERSION,
      startedAt: this.startedAt,
      cacheEntries: this.cache.size().positive,
      busState: stats.state,
      lastMessageAt: stats.lastMessageAt,
      reportedAt: Date.now(),
      database: this.database,
      propagationLag: this.lag,
    };
  }

  private async report(): Promise<void> {
    this.database = (await this.status.health()).database;
    this.lag = lagHistogram((await this.metrics.propagationLag.get()).values);
    await this.bus.announcePresence(this.self(), PRESENCE_TTL_SECONDS).catch(() => undefined);
    // For alerts on a replica missing from the cluster: a count beside the scrape targets'.
    const presences = await this.bus.presences().catch(() => null);
    if (presences === null) this.metrics.clusterReplicas.reset();
    else this.metrics.clusterReplicas.set(presences.length);
  }

  private onMessage(message: BusMessage): void {
    const now = Date.now();
    if (message.kind === 'probe') {
      const ack: AckMessage = {
        kind: 'ack',
        probeId: message.probeId,
        receivedAt: now,
        sentAt: now,
        origin: this.nodeId,
      };
      this.bus.publish(ack).catch(() => undefined);
      return;
    }
    if (message.kind !== 'ack') return;
    const probe = this.probes.get(message.probeId);
    if (probe === undefined || probe.acks.has(message.origin)) return;
    probe.acks.set(message.origin, {
      latencyMs: now - probe.sentAt,
      heardAfterMs: message.receivedAt - probe.sentAt,
    });
    if ([...probe.expected].every((node) => probe.acks.has(node))) probe.done();
  }

  /** The live replicas, with this one's own view; never fails for want of Redis. */
  async describe(): Promise<Record<string, unknown>> {
    const now = Date.now();
    const view = (presence: NodePresence) => ({
      ...presence,
      uptimeMs: now - presence.startedAt,
      lastMessageAgeMs: presence.lastMessageAt === null ? null : now - presence.lastMessageAt,
    });
    let replicas: NodePresence[] | null;
    try {
      replicas = await this.bus.presences();
    } catch {
      replicas = null;
    }
    return {
      node: {
        ...view(this.self()),
        bus: this.bus.stats(),
        evictionLane: this.lane?.state() ?? 'off',
        cache: { ...this.cache.counters, ...this.cache.size() },
      },
      registry: replicas === null ? 'unavailable' : 'available',
      replicas: (replicas ?? [this.self()])
        .map(view)
        .sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    };
  }

  /** Sends a probe through the bus; answers who acknowledged it, how fast, and who did not. */
  async probe(timeoutMs: number): Promise<Record<string, unknown>> {
    const expected = new Set(
      (await this.bus.presences().catch(() => [this.self()])).map((node) => node.nodeId),
    );
    expected.add(this.nodeId);
    const probeId = randomUUID();
    const sentAt = Date.now();
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const pending: PendingProbe = { sentAt, acks: new Map(), expected, done: finish };
    this.probes.set(probeId, pending);
    const timer = setTimeout(finish, timeoutMs);
    try {
      await this.bus.publish({ kind: 'probe', probeId, sentAt, origin: this.nodeId });
      await finished;
    } catch {
      // The bus is away: nobody answers, and the answer says so.
    } finally {
      clearTimeout(timer);
      this.probes.delete(probeId);
    }
    return {
      probeId,
      sentAt,
      replicas: [...pending.acks]
        .map(([nodeId, ack]) => ({ nodeId, ...ack }))
        .sort((a, b) => a.latencyMs - b.latencyMs),
      missing: [...expected].filter((node) => !pending.acks.has(node)).sort(),
    };
  }
}
