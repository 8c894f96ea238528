import { Permissions } from '../auth/permissions';
import type { RateLimit } from '../rate-limit/rate-limit';

/** What a replica needs to know about a key to authenticate a request with it. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string | null;
  readonly keyManager: boolean;
  readonly permissions: Permissions;
  readonly expirationInstant: number | null;
  readonly ipAccessControlListId: string | null;
  /** Null: the key is not rate-limited (no limiter is asked). */
  readonly rateLimit: RateLimit | null;
}

/** Where the cache reads keys it does not hold: many digests in one read, the found ones by digest. */
export abstract class ApiKeySource {
  abstract findRecordsByDigests(digests: readonly string[]): Promise<Map<string, ApiKeyRecord>>;
}
