import { Permissions } from '../auth/permissions';
import type { DigestSource } from './digest-index';

/** What a replica needs to know about a key to authenticate a request with it. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string | null;
  readonly keyManager: boolean;
  readonly permissions: Permissions;
  readonly expirationInstant: number | null;
  readonly ipAccessControlListId: string | null;
}

/** Where the cache reads keys it does not hold, and the index reads which keys exist. */
export abstract class ApiKeySource implements DigestSource {
  abstract findRecordByDigest(digest: string): Promise<ApiKeyRecord | null>;
  abstract allDigests(): Promise<string[]>;
  abstract digestsSince(instant: number): Promise<string[]>;
}
