import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { importPKCS8, importSPKI } from 'jose';
import { createSecretKey, KeyObject } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { withDeadline } from '../database/deadline';
import { ChangeHub } from '../key-cache/change.hub';
import { keepFresh } from '../key-cache/replica-view';
import { Algorithm, KeyType } from './signing-key.algorithms';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyRepository } from './signing-key.repository';

/** What jose signs and verifies with: a node:crypto key object, parsed once. */
export type JoseKey = KeyObject;

/** A signing key, parsed once per replica. Never serialised. */
export interface SigningKeyHandle {
  readonly id: string;
  readonly kid: string;
  readonly algorithm: Algorithm;
  readonly type: KeyType;
  /** The JWS `alg` this key signs with; a token naming any other is refused. */
  readonly jwsAlgorithm: string;
  /** The private key or HMAC secret; null for an imported public key, which only verifies. */
  readonly signing: JoseKey | null;
  readonly verifying: JoseKey;
  /** What may be published (SPKI PEM, X.509 PEM); null for HMAC keys, which are never published. */
  readonly publicKey: string | null;
  readonly certificate: string | null;
}

/** JWS names (RFC 7518; EdDSA, RFC 8037, the name every verifier knows for Ed25519). */
export function jwsAlgorithmOf(algorithm: Algorithm): string {
  return algorithm === 'Ed25519' ? 'EdDSA' : algorithm;
}

async function parse(entity: SigningKeyEntity): Promise<SigningKeyHandle | null> {
  const jwsAlgorithm = jwsAlgorithmOf(entity.algorithm);
  const base = {
    id: entity.id,
    kid: entity.kid,
    algorithm: entity.algorithm,
    type: entity.type,
    publicKey: entity.type === 'HMAC' ? null : entity.publicKey,
    certificate: entity.type === 'HMAC' ? null : entity.certificate,
  };
  if (entity.type === 'HMAC') {
    if (entity.secret === null) return null;
    const secret = createSecretKey(Buffer.from(entity.secret, 'utf8'));
    return { ...base, jwsAlgorithm, signing: secret, verifying: secret };
  }
  if (entity.publicKey === null) return null;
  const verifying = await importSPKI<KeyObject>(entity.publicKey, jwsAlgorithm);
  const signing =
    entity.privateKey === null
      ? null
      : await importPKCS8<KeyObject>(entity.privateKey, jwsAlgorithm);
  return { ...base, jwsAlgorithm, signing, verifying };
}

interface Snapshot {
  readonly byId: ReadonlyMap<string, SigningKeyHandle>;
  readonly byKid: ReadonlyMap<string, SigningKeyHandle>;
}

const EMPTY: Snapshot = { byId: new Map(), byKid: new Map() };
/** A token naming an unknown kid reads the keys again at most this often. */
const UNKNOWN_KID_REREAD_MS = 1_000;

/**
 * Every signing key, parsed, held by each replica: a token's `kid` is found without a
 * query, and a flood of made-up kids costs nothing. Keys are few and their material never
 * changes (only names do), so the whole set is read again on each key change message,
 * after a bus resync and every cache TTL; a handle whose key is unchanged is kept.
 * A changed key is dropped from the view the moment its message arrives: until the
 * re-read lands, a lookup of it waits for the re-read rather than use what was.
 */
@Injectable()
export class SigningKeyStore implements OnModuleInit, OnApplicationShutdown {
  private snapshot: Snapshot = EMPTY;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private lastRead = 0;
  private stop: (() => void) | null = null;

  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly hub: ChangeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.stop = keepFresh(this.hub, this.config.apiKeyCacheTtlSeconds * 1000, {
      onEvent: (event) => {
        if (event.type !== 'signingKey.changed') return;
        this.drop(event.keyId);
        void this.refresh().catch(() => undefined);
      },
      refresh: () => this.refresh(),
    });
    await this.refresh();
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** The key a token's header names; null when no such key can verify. */
  byKid(kid: string): SigningKeyHandle | null | Promise<SigningKeyHandle | null> {
    const held = this.snapshot.byKid.get(kid);
    if (held !== undefined) return held;
    return this.reread(() => this.snapshot.byKid.get(kid) ?? null);
  }

  /** The key a tenant or application names for signing. */
  byId(id: string): SigningKeyHandle | null | Promise<SigningKeyHandle | null> {
    const held = this.snapshot.byId.get(id);
    if (held !== undefined) return held;
    return this.reread(() => this.snapshot.byId.get(id) ?? null);
  }

  /** All keys, for publication: after the read under way, so a key just made is there. */
  async all(): Promise<SigningKeyHandle[]> {
    if (this.refreshing !== null) await this.refreshing.catch(() => undefined);
    return [...this.snapshot.byId.values()];
  }

  /**
   * Not held: if a read is under way it may bring it (a key made or renamed moments ago),
   * so wait for it; else read again, but not more often than once a second.
   */
  private reread<T>(find: () => T): T | Promise<T> {
    if (this.refreshing === null && Date.now() - this.lastRead < UNKNOWN_KID_REREAD_MS)
      return find();
    return this.refresh().then(find);
  }

  private drop(keyId: string): void {
    const handle = this.snapshot.byId.get(keyId);
    if (handle === undefined) return;
    const byId = new Map(this.snapshot.byId);
    const byKid = new Map(this.snapshot.byKid);
    byId.delete(keyId);
    byKid.delete(handle.kid);
    this.snapshot = { byId, byKid };
    this.again = this.refreshing !== null;
  }

  refresh(): Promise<void> {
    if (this.refreshing !== null) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        this.lastRead = Date.now();
        const entities = await withDeadline(
          this.keys.all(),
          this.config.databaseQueryTimeoutMs,
          'reading the signing keys',
        );
        const next = await this.parseAll(entities);
        // A change that arrived during the read may postdate it: read again first.
        if (!this.again) this.snapshot = next;
      } while (this.again);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async parseAll(entities: SigningKeyEntity[]): Promise<Snapshot> {
    const byId = new Map<string, SigningKeyHandle>();
    const byKid = new Map<string, SigningKeyHandle>();
    for (const entity of entities) {
      const kept = this.snapshot.byId.get(entity.id);
      const handle = kept?.kid === entity.kid ? kept : await parse(entity).catch(() => null);
      if (handle === null) continue;
      byId.set(handle.id, handle);
      byKid.set(handle.kid, handle);
    }
    return { byId, byKid };
  }
}
