import { Injectable } from '@nestjs/common';
import { digestKey, generateKey } from '../auth/key-digest';
import { JsonObject } from '../common/fields';
import { newId } from '../common/uuid';
import { ChangeHub } from '../key-cache/change.hub';
import type { JwtSettings } from '../tenant/tenant.dto';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokenRepository, TokenSelection } from './refresh-token.repository';

const MINUTE = 60_000;

export interface IssuedRefreshToken {
  /** The secret, shown once to whoever logged in. */
  readonly token: string;
  readonly entity: RefreshTokenEntity;
}

export interface SessionOwner {
  readonly userId: string;
  readonly tenantId: string;
  readonly applicationId: string | null;
}

/**
 * Refresh tokens: issued at login, redeemed for new access tokens, revoked. Expiry follows
 * the settings in force (application, else tenant): `Fixed` ends a token its lifetime after
 * it was issued, `SlidingWindow` extends it by that on each use; `OneTimeUse` gives the
 * session a new token value on each use (the old value stops working; the session id stays). Every revocation is announced, so that access tokens minted from a
 * revoked session (`sid`) stop being accepted on every replica.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    private readonly tokens: RefreshTokenRepository,
    private readonly hub: ChangeHub,
  ) {}

  async issue(
    owner: SessionOwner,
    settings: JwtSettings,
    metaData: JsonObject = {},
    startInstant = Date.now(),
  ): Promise<IssuedRefreshToken> {
    const token = generateKey();
    const now = Date.now();
    const entity: RefreshTokenEntity = {
      id: newId(),
      digest: digestKey(token),
      userId: owner.userId,
      tenantId: owner.tenantId,
      applicationId: owner.applicationId,
      startInstant,
      expirationInstant: now + settings.refreshTokenTimeToLiveInMinutes * MINUTE,
      metaData,
      insertInstant: now,
    };
    await this.tokens.insert(entity);
    return { token, entity };
  }

  /** The live token with this value, or null (unknown, expired, revoked). */
  async find(token: string): Promise<RefreshTokenEntity | null> {
    if (token.length === 0 || token.length > 1024) return null;
    const entity = await this.tokens.findByDigest(digestKey(token));
    if (entity === null || entity.expirationInstant <= Date.now()) return null;
    return entity;
  }

  /**
   * Uses a token: null when it cannot be used; else the token to hand back (the same one,
   * or its replacement under `OneTimeUse`, which only one of two racing uses obtains).
   */
  async redeem(
    token: string,
    settingsOf: (entity: RefreshTokenEntity) => Promise<JwtSettings>,
  ): Promise<IssuedRefreshToken | null> {
    const entity = await this.find(token);
    if (entity === null) return null;
    const settings = await settingsOf(entity);
    const expirationInstant =
      settings.refreshTokenExpirationPolicy === 'Fixed'
        ? entity.expirationInstant
        : Date.now() + settings.refreshTokenTimeToLiveInMinutes * MINUTE;
    if (settings.refreshTokenUsagePolicy === 'OneTimeUse') {
      // A new value for the same session: access tokens naming it (`sid`) stand.
      const next = generateKey();
      const rotated = { digest: digestKey(next), expirationInstant };
      if (!(await this.tokens.rotate(entity.id, entity.digest, rotated))) return null;
      return { token: next, entity: { ...entity, ...rotated } };
    }
    if (expirationInstant !== entity.expirationInstant)
      await this.tokens.extend(entity.id, expirationInstant);
    return { token, entity: { ...entity, expirationInstant } };
  }

  getById(tenantId: string | null, id: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.getById(tenantId, id);
  }

  list(selection: TokenSelection): Promise<RefreshTokenEntity[]> {
    return this.tokens.select(selection);
  }

  /** Revokes the selected tokens; returns how many there were. */
  async revoke(selection: TokenSelection): Promise<number> {
    return this.revokeAll(await this.tokens.select(selection));
  }

  async revokeAll(entities: RefreshTokenEntity[]): Promise<number> {
    if (entities.length === 0) return 0;
    try {
      await this.tokens.delete(entities.map((entity) => entity.id));
    } finally {
      const users = new Set(entities.map((entity) => entity.userId));
      await this.hub.announce(
        ...[...users].map((userId) => ({ type: 'user.changed' as const, userId })),
      );
    }
    return entities.length;
  }
}

/** The one place a refresh token becomes JSON; the token itself is never shown again. */
export function refreshTokenToJson(entity: RefreshTokenEntity): JsonObject {
  return {
    id: entity.id,
    applicationId: entity.applicationId ?? undefined,
    insertInstant: entity.insertInstant,
    startInstant: entity.startInstant,
    metaData: entity.metaData,
    tenantId: entity.tenantId,
    userId: entity.userId,
  };
}
