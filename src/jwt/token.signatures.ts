import { Inject, Injectable } from '@nestjs/common';
import { compactVerify, errors, JWTPayload, ProtectedHeaderParameters } from 'jose';
import { hash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { SigningKeyHandle, SigningKeyStore } from '../signing-key/signing-key.store';
import {
  checkClaims,
  CompactJws,
  hmacHashOf,
  hmacSignatureMatches,
  parseCompact,
} from './compact-jws';
import { chain, StandingRefusal } from './jwt.standing';
import { evictOldest } from '../common/evict-oldest';

/** Why a token was refused; never told to the caller (every refusal is the same 401). */
export type JwtRefusal =
  | 'malformed'
  | 'alg_none'
  | 'key_in_header'
  | 'crit'
  | 'not_a_user_token'
  | 'not_a_client_token'
  | 'unknown_kid'
  | 'alg_mismatch'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'claims'
  | StandingRefusal;

/** Which tokens a check takes: a user's, or one from the client credentials grant (`gty`). */
export type TokenGrantKind = 'user' | 'client';

/** A token whose signature verified with a stored key, and which key that was. */
export interface SignedClaims {
  readonly claims: JWTPayload;
  readonly keyId: string;
  readonly kid: string;
}

/** Header members that would let the token choose its own key: never honoured. */
const KEY_IN_HEADER = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const MAX_TOKEN_LENGTH = 16 * 1024;

/** A header that may be judged before any key is looked up; a refusal otherwise. */
function screenHeader(
  header: ProtectedHeaderParameters,
  kind: TokenGrantKind,
): (ProtectedHeaderParameters & { kid: string }) | JwtRefusal {
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return 'alg_none';
  if (KEY_IN_HEADER.some((member) => member in header)) return 'key_in_header';
  // No extension is understood here, so any `crit` names one that is not (RFC 7515 §4.1.11).
  if ('crit' in header) return 'crit';
  const gty: unknown = header.gty;
  const clientToken = Array.isArray(gty) && gty.includes('client_credentials');
  if (kind === 'user' && clientToken) return 'not_a_user_token';
  if (kind === 'client' && !clientToken) return 'not_a_client_token';
  if (typeof header.kid !== 'string') return 'unknown_kid';
  return header as ProtectedHeaderParameters & { kid: string };
}

/**
 * Checks signatures against the stored keys only: the key is the one the `kid` names and
 * the algorithm must be that key's (so `none`, and an HMAC algorithm over a public key, are
 * refused before any signature is checked). HMAC signatures are checked with node:crypto in
 * constant time, the others with jose; the claims set is judged the same way for both
 * (`compact-jws.ts`). User tokens and client-credentials tokens are told apart by `gty`, so
 * neither passes where the other is wanted.
 */
@Injectable()
export class TokenSignatures {
  constructor(
    private readonly keys: SigningKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  check(
    token: string,
    kind: TokenGrantKind,
    requiredClaims: readonly string[],
  ): SignedClaims | JwtRefusal | Promise<SignedClaims | JwtRefusal> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return 'malformed';
    const jws = parseCompact(token);
    if (jws === null) return 'malformed';
    const header = screenHeader(jws.header, kind);
    if (typeof header === 'string') return header;
    return chain(this.keys.byKid(header.kid), (key) => {
      if (key === null) return 'unknown_kid';
      if (header.alg !== key.jwsAlgorithm) return 'alg_mismatch';
      const hmacHash = hmacHashOf(key.jwsAlgorithm);
      if (hmacHash !== null) {
        // HMAC needs no async crypto: checked here, the request stays synchronous.
        if (!hmacSignatureMatches(jws, hmacHash, key.verifying)) return 'bad_signature';
        return this.claimsOf(jws, key, requiredClaims);
      }
      return compactVerify(token, key.verifying, { algorithms: [key.jwsAlgorithm] }).then(
        () => this.claimsOf(jws, key, requiredClaims),
        (error: unknown) =>
          error instanceof errors.JWSSignatureVerificationFailed ? 'bad_signature' : 'malformed',
      );
    });
  }

  private claimsOf(
    jws: CompactJws,
    key: SigningKeyHandle,
    requiredClaims: readonly string[],
  ): SignedClaims | JwtRefusal {
    const claims = checkClaims(jws.payload, {
      requiredClaims,
      clockToleranceSeconds: this.config.jwtClockSkewSeconds,
    });
    return typeof claims === 'string' ? claims : { claims, keyId: key.id, kid: key.kid };
  }

  /** Whether the key a remembered token verified with is still the one its `kid` names. */
  keyStands(kid: string, keyId: string): boolean | Promise<boolean> {
    return chain(this.keys.byKid(kid), (key) => key !== null && key.id === keyId);
  }

  /** Whether a token that expired at `expiresAt` (seconds) is past the clock skew. */
  expired(expiresAt: number): boolean {
    return expiresAt + this.config.jwtClockSkewSeconds <= Date.now() / 1000;
  }
}

/**
 * Tokens that verified, by digest (so the map never holds a bearer credential), until they
 * expire; the oldest goes first when full. A memo with no room keeps nothing, so it makes
 * no digest either: with the JWT cache off, a token costs no hash beyond its signature's.
 */
export class TokenMemo<T> {
  private readonly entries = new Map<
    string,
    { readonly value: T; readonly keyId: string; readonly kid: string }
  >();

  constructor(private readonly maxEntries: number) {}

  /** The key of a token's entry: its SHA-256, or null when the memo keeps nothing. */
  keyOf(token: string): string | null {
    return this.maxEntries === 0 ? null : hash('sha256', token, 'base64url');
  }

  get(
    key: string | null,
  ): { readonly value: T; readonly keyId: string; readonly kid: string } | undefined {
    return key === null ? undefined : this.entries.get(key);
  }

  remember(key: string | null, value: T, signed: SignedClaims): void {
    if (key === null) return;
    evictOldest(this.entries, this.maxEntries);
    this.entries.set(key, { value, keyId: signed.keyId, kid: signed.kid });
  }

  forget(key: string | null): void {
    if (key !== null) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
