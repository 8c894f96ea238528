import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { APP_CONFIG, AppConfig } from '../config/config.schema';

/**
 * Each key's last use, approximate by design: a request only adds the key's id to a set
 * (no clock read, no write), and every `API_KEY_LAST_USED_INTERVAL_SECONDS` the replica
 * writes, for each key used since the last time, that instant, one update per key,
 * moving the stored instant forward only. So `lastUsedInstant` is at most one interval
 * after the real last use (per replica), and a key used a million times costs one write
 * per interval.
 */
@Injectable()
export class LastUseTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private noted = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
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

  async flush(): Promise<void> {
    if (this.noted.size === 0) return;
    const used = this.noted;
    this.noted = new Set();
    const now = Date.now();
    try {
      await this.keys.recordUses(new Map([...used].map((id) => [id, now])));
    } catch (error) {
      // Kept for the next interval.
      for (const id of used) this.noted.add(id);
      this.logger.warn(
        `writing last uses failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
