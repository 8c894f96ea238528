import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { OneWriteAtATime } from '../common/one-write-at-a-time';
import { APP_CONFIG, AppConfig } from '../config/config.schema';

/**
 * Each key's last use, approximate by design: a request only adds the key's id to a set
 * (no clock read, no write), and every `API_KEY_LAST_USED_INTERVAL_SECONDS` the replica
 * writes that instant for every key used since the last time, a few hundred keys per
 * statement, moving the stored instant forward only. So `lastUsedInstant` is at most one
 * interval after the real last use (per replica), a key used a million times costs one
 * write per interval, and a million keys used once each cost a few thousand statements.
 */
@Injectable()
export class LastUseTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private noted = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly writes = new OneWriteAtATime();
  private readonly logger = new Logger('LastUseTracker');

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  note(keyId: string): void {
    this.noted.add(keyId);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.flush(),
      this.config.apiKeyLastUsedIntervalSeconds * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.flush();
  }

  flush(): Promise<void> {
    return this.writes.run(() => {
      if (this.noted.size === 0) return null;
      const used = this.noted;
      this.noted = new Set();
      return this.write(used);
    });
  }

  private async write(used: Set<string>): Promise<void> {
    try {
      await this.keys.recordUses([...used], Date.now());
    } catch (error) {
      // Kept for the next interval.
      for (const id of used) this.noted.add(id);
      this.logger.warn(
        `writing last uses failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
