import { Permissions } from '../auth/permissions';

/** What a replica needs to know about a key to authenticate a request with it. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string | null;
  readonly keyManager: boolean;
  readonly permissions: Permissions;
  readonly expirationInstant: number | null;
  readonly ipAccessControlListId: string | null;
}

/** Where the cache reads keys it does not hold: many digests in one read, the found ones by digest. */
export abstract class ApiKeySource {
  abstract findRecordsByDigests(digests: readonly string[]): Promise<Map<string, ApiKeyRecord>>;
}
