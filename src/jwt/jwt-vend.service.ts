import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { Caller } from '../auth/principal';
import { ApiError, FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject } from '../common/fields';
import { SigningKeyStore } from '../signing-key/signing-key.store';
import { TenantCache } from '../tenant/tenant.cache';
import { JwtSigner } from './jwt.signer';

/** Ten years: a longer lifetime is a mistake, not a wish. */
const MAX_TIME_TO_LIVE = 10 * 365 * 24 * 3600;

interface VendRequest {
  readonly claims: JsonObject;
  readonly keyId: string | null;
  readonly timeToLiveInSeconds: number | null;
}

function readVendRequest(body: unknown): VendRequest {
  if (!isObject(body)) throw ApiError.general('couldNotParseJSON');
  const fields = new Fields(body, '', new FieldErrors());
  const claims = fields.record('claims') ?? {};
  const keyId = fields.uuid('keyId');
  const timeToLiveInSeconds = fields.long('timeToLiveInSeconds', { min: 1 });
  if (timeToLiveInSeconds !== null && timeToLiveInSeconds > MAX_TIME_TO_LIVE)
    fields.errors.add(
      'invalid',
      'timeToLiveInSeconds',
      `The [timeToLiveInSeconds] may be at most ${MAX_TIME_TO_LIVE}.`,
    );
  fields.errors.throwIfAny();
  return { claims, keyId, timeToLiveInSeconds };
}

/**
 * `POST /api/jwt/vend`: a JWT with the caller's claims (`exp` and `iat` are the signer's).
 * A caller confined to a tenant (a tenant-scoped key, or a tenant header) vends only as
 * that tenant: the token's `tid` is always its tenant, whatever the claims say, and only
 * that tenant's own access-token or id-token key may sign it. A vended token therefore
 * verifies, as a user credential, only for a user of the caller's tenant, and never under
 * a key another tenant's tokens are checked against. Without a tenant, the default
 * tenant's key and lifetime are the defaults and the claims are taken as they are.
 */
@Injectable()
export class JwtVendService {
  constructor(
    private readonly tenants: TenantCache,
    private readonly keys: SigningKeyStore,
    private readonly signer: JwtSigner,
  ) {}

  async vend(caller: Caller, body: unknown): Promise<JsonObject> {
    const request = readVendRequest(body);
    const tenant =
      caller.tenantId === null
        ? await this.tenants.defaultTenant()
        : await this.tenants.byId(caller.tenantId);
    if (tenant === null) throw ApiError.general('invalidReference');
    const settings = tenant.configuration.jwtConfiguration;
    const claims: JWTPayload = { ...request.claims };
    delete claims.exp;
    delete claims.iat;
    if (caller.tenantId !== null) {
      claims.tid = tenant.id;
      const own = [settings.accessTokenKeyId, settings.idTokenKeyId];
      if (request.keyId !== null && !own.includes(request.keyId)) throw invalidKey();
    }
    const keyId = request.keyId ?? settings.accessTokenKeyId;
    const key = keyId === null ? null : await this.keys.byId(keyId);
    if (keyId === null || key === null || key.signing === null) throw invalidKey();
    const signed = await this.signer.sign(claims, keyId, {
      timeToLiveInSeconds: request.timeToLiveInSeconds ?? settings.timeToLiveInSeconds,
    });
    return { token: signed.token };
  }
}

function invalidKey(): ApiError {
  return ApiError.field(
    'invalid',
    'keyId',
    'The [keyId] must name a signing key with a private key or secret that this caller may use.',
  );
}
