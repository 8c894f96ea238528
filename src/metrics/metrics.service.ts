import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CredentialKindLabel, RefusalReason } from '../auth/refusal';
import { RequestTally } from './request.tally';

interface Decision {
  readonly labels: { kind: string; result: 'accepted' | 'refused'; reason: string };
  count: number;
}

/** A value read at scrape time from state kept elsewhere (cache counters, bus state). */
export type Sampler = () => void;

/**
 * Every Prometheus metric Portcullis exports, in one registry. Hot paths record with
 * label values they already hold; state kept elsewhere is read at scrape time.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly samplers: Sampler[] = [];

  /** `portcullis_http_requests_total` and `portcullis_http_request_duration_seconds`. */
  readonly requests = new RequestTally();

  readonly authDecisions = new Counter({
    name: 'portcullis_auth_decisions_total',
    help: 'Authentication decisions by credential kind, result and reason.',
    labelNames: ['kind', 'result', 'reason'] as const,
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'portcullis_login_failures_total',
    help: 'Refused logins (Login API) by reason: unknown_login_id, wrong_password, inactive_user.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly cacheEvents = new Counter({
    name: 'portcullis_api_key_cache_events_total',
    help: 'API key cache lookups (hits, misses), database loads, stale fills dropped and evictions since start; lookup_* count the grouped database queries of misses (queries, digests, failures, timeouts).',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly cacheEntries = new Gauge({
    name: 'portcullis_api_key_cache_entries',
    help: 'API keys cached, by kind (positive: known keys; negative: unknown digests).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly cacheFlushes = new Counter({
    name: 'portcullis_api_key_cache_flushes_total',
    help: 'Whole-cache flushes since start, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly busState = new Gauge({
    name: 'portcullis_bus_subscriber_state',
    help: 'Key-change bus subscriber state: 1 for the current state, 0 for the others.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly busLastMessageAge = new Gauge({
    name: 'portcullis_bus_last_message_age_seconds',
    help: 'Seconds since the last message heard on the bus (-1: none yet).',
    registers: [this.registry],
  });

  readonly busCounters = new Counter({
    name: 'portcullis_bus_events_total',
    help: 'Bus events since start: publish failures, garbage messages ignored, heartbeat misses, resubscriptions, changes timed below zero (clocks apart).',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly propagationLag = new Histogram({
    name: 'portcullis_bus_propagation_lag_seconds',
    help: 'From a change published by another replica (after its commit) until it was applied here, by event.',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly auditEvents = new Counter({
    name: 'portcullis_audit_events_total',
    help: 'API key audit events since start, by outcome: written, or dropped (queue full or a failed write).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'portcullis_rate_limited_total',
    help: 'Requests refused with 429 because their API key was over its rate limit.',
    registers: [this.registry],
  });

  readonly rateLimitFailures = new Counter({
    name: 'portcullis_rate_limit_redis_failures_total',
    help: 'Rate-limit checks Redis could not answer in time, by what they answered (open: allowed, closed: refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jwtVerifications = new Counter({
    name: 'portcullis_jwt_verifications_total',
    help: 'User JWTs presented since start, by path: remembered (signature checked before, on this replica) or verified (signature checked now).',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });

  readonly clusterReplicas = new Gauge({
    name: 'portcullis_cluster_replicas',
    help: 'Replicas registered in the cluster (each registers every second with a 15 s expiry), as this replica read them at its last report; 0 while the registry is unavailable.',
    registers: [this.registry],
  });

  readonly jwtCacheEntries = new Gauge({
    name: 'portcullis_jwt_cache_entries',
    help: 'Verified JWTs this replica remembers.',
    registers: [this.registry],
  });

  readonly userReadBatches = new Counter({
    name: 'portcullis_user_read_batches_total',
    help: 'User reads batched into shared queries: queries started, reads they carried, queries failed, reads given up waiting to be sent.',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly databasePool = new Gauge({
    name: 'portcullis_database_pool_connections',
    help: 'Database pool connections by state (MySQL); SQLite holds one connection.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'portcullis_' });
  }

  /**
   * Decisions counted per request by kind, then reason, in plain maps (whose keys are the
   * constants the caller holds), copied to `authDecisions` at scrape time.
   */
  private readonly decisions = new Map<string, Map<string, Decision>>();

  accepted(kind: CredentialKindLabel): void {
    this.decide(kind, 'accepted', 'ok');
  }

  refused(kind: CredentialKindLabel, reason: RefusalReason): void {
    this.decide(kind, 'refused', reason);
  }

  private decide(kind: CredentialKindLabel, result: Decision['labels']['result'], reason: string) {
    let byReason = this.decisions.get(kind);
    if (byReason === undefined) this.decisions.set(kind, (byReason = new Map<string, Decision>()));
    const decision = byReason.get(reason);
    if (decision !== undefined) decision.count++;
    else byReason.set(reason, { labels: { kind, result, reason }, count: 1 });
  }

  /** Sets a counter kept elsewhere (it only grows there) to its current value. */
  static setCounter<L extends string>(
    counter: Counter<L>,
    labels: Partial<Record<L, string>>,
    value: number,
  ): void {
    counter.remove(labels);
    counter.inc(labels, value);
  }

  /** Registers a function that brings gauges up to date before each scrape. */
  sample(sampler: Sampler): void {
    this.samplers.push(sampler);
  }

  async render(): Promise<string> {
    for (const sampler of this.samplers) sampler();
    for (const byReason of this.decisions.values())
      for (const { labels, count } of byReason.values())
        Metrics.setCounter(this.authDecisions, labels, count);
    return (await this.registry.metrics()) + '\n' + this.requests.render();
  }
}
