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
 * Each key's last use, approximate by design: a request only notes the instant in a map
 * (no write, no allocation beyond the map's), and every `API_KEY_LAST_USED_INTERVAL_SECONDS`
 * the replica writes what it noted, one update per key used, moving the stored instant
 * forward only. So `lastUsedInstant` is right to within one interval, per replica, and a
 * key used a million times costs one write per interval.
 */
@Injectable()
export class LastUseTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private noted = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('LastUseTracker');

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  note(keyId: string, now: number): void {
    this.noted.set(keyId, now);
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
    const uses = this.noted;
    this.noted = new Map();
    try {
      await this.keys.recordUses(uses);
    } catch (error) {
      // Kept for the next interval, unless newer uses were noted meanwhile.
      for (const [id, instant] of uses) if (!this.noted.has(id)) this.noted.set(id, instant);
      this.logger.warn(
        `writing last uses failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
