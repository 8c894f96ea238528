import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';

export type LoginFailureReason = 'unknown_login_id' | 'wrong_password' | 'inactive_user';

export interface TallyEntry {
  readonly key: string;
  readonly count: number;
}

export interface TallyWindow {
  readonly startedAt: number;
  readonly total: number;
  /** The most refused subjects: a user id, or `loginId:<digest>` for a login id that names no one. */
  readonly subjects: TallyEntry[];
  readonly addresses: TallyEntry[];
  /** Failures whose subject or address arrived after the table was full. */
  readonly untracked: number;
}

export const TALLY_WINDOW_MS = 5 * 60_000;
/** Distinct subjects (and, apart, addresses) tracked per window: a flood cannot grow it. */
export const TALLY_MAX_KEYS = 10_000;
const TOP = 10;

/**
 * Failed logins counted per user and per client address, per replica, over a fixed
 * five-minute window. Ids and addresses are unbounded, so they stay out of metric
 * labels; at the end of each window that saw failures, the top ten of each are logged
 * once (warn), for an operator or a log alert to act on. Login ids that name no user are
 * kept as a keyed digest (the key lives and dies with the process): a log line then
 * groups attempts on one login id without holding it.
 */
export class FailureTally {
  private subjects = new Map<string, number>();
  private addresses = new Map<string, number>();
  private total = 0;
  private untracked = 0;
  private startedAt: number;

  constructor(now: number) {
    this.startedAt = now;
  }

  record(subject: string, address: string): void {
    this.total++;
    const subjectTracked = bump(this.subjects, subject);
    const addressTracked = bump(this.addresses, address);
    if (!subjectTracked || !addressTracked) this.untracked++;
  }

  /** The window so far. */
  view(): TallyWindow {
    return {
      startedAt: this.startedAt,
      total: this.total,
      subjects: top(this.subjects),
      addresses: top(this.addresses),
      untracked: this.untracked,
    };
  }

  /** Ends the window: returns it, and starts the next one empty. */
  roll(now: number): TallyWindow {
    const ended = this.view();
    this.subjects = new Map();
    this.addresses = new Map();
    this.total = 0;
    this.untracked = 0;
    this.startedAt = now;
    return ended;
  }
}

function bump(counts: Map<string, number>, key: string): boolean {
  const count = counts.get(key);
  if (count === undefined && counts.size >= TALLY_MAX_KEYS) return false;
  counts.set(key, (count ?? 0) + 1);
  return true;
}

function top(counts: Map<string, number>): TallyEntry[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([key, count]) => ({ key, count }));
}

@Injectable()
export class LoginFailures implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LoginFailures');
  private readonly tally = new FailureTally(Date.now());
  private readonly digestKey = randomBytes(32);
  private timer: NodeJS.Timeout | null = null;

  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), TALLY_WINDOW_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  /** A login id as it may appear in logs: a digest keyed per process, 16 hex characters. */
  loginIdDigest(loginId: string): string {
    return createHmac('sha256', this.digestKey).update(loginId).digest('hex').slice(0, 16);
  }

  record(subject: string, address: string): void {
    this.tally.record(subject, address);
  }

  view(): TallyWindow {
    return this.tally.view();
  }

  private flush(): void {
    const ended = this.tally.roll(Date.now());
    if (ended.total > 0)
      this.logger.warn(`failed logins in the last window: ${JSON.stringify(ended)}`);
  }
}
