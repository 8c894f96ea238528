import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { ApplicationRepository } from '../application/application.repository';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject } from '../common/fields';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { CookiePolicy, loginCookies } from '../login/login.cookies';
import { RefreshTokenEntity } from '../refresh-token/refresh-token.entity';
import { TokenSelection } from '../refresh-token/refresh-token.repository';
import { RefreshTokenService, refreshTokenToJson } from '../refresh-token/refresh-token.service';
import { UserRepository } from '../user/user.repository';
import { JwtRefresher, RefreshRefusal } from './jwt.refresher';

/** What `POST /api/jwt/refresh` answers: its body and the cookies a login would set. */
export interface RefreshOutcome {
  readonly body: JsonObject;
  readonly cookies: string[];
}

/** `DELETE /api/jwt/refresh`: which tokens, by value, id, user and/or application. */
export interface Revocation {
  readonly token?: string | null;
  readonly id?: string;
  readonly userId?: string | null;
  readonly applicationId?: string | null;
}

const MAX_TOKEN = 1024;

function refused(reason: RefreshRefusal): ApiError {
  if (reason === 'refresh_not_allowed')
    return ApiError.field(
      'notAllowed',
      'refreshToken',
      'The application of this refresh token does not allow token refresh (loginConfiguration.allowTokenRefresh).',
    );
  return ApiError.field(
    'invalid',
    'refreshToken',
    'The refresh token is expired, revoked or unknown.',
  );
}

/**
 * FusionAuth's refresh-token API: exchanging a refresh token for a new JWT (the
 * application must allow token refresh), listing a user's tokens, and revoking them.
 * Every read and revocation is confined to the caller's tenant (another tenant's token
 * is a 404); a user's JWT may revoke only that user's own tokens, one at a time. Every
 * revocation goes through RefreshTokenService, which announces it.
 */
@Injectable()
export class JwtRefreshService {
  private readonly cookiePolicy: CookiePolicy;

  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly refresher: JwtRefresher,
    private readonly users: UserRepository,
    private readonly applications: ApplicationRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cookiePolicy = { secure: config.cookieSecure, sameSite: config.cookieSameSite };
  }

  /** The cookie, when sent, wins over the body (FusionAuth's rule). */
  async exchange(body: unknown, cookie: string | null): Promise<RefreshOutcome> {
    const token = cookie ?? readRefreshRequest(body);
    const refreshed = await this.refresher.refresh(token, { requireAllowTokenRefresh: true });
    if (typeof refreshed === 'string') throw refused(refreshed);
    const { access, refresh, settings } = refreshed;
    return {
      body: { token: access.token, refreshToken: refresh.token, refreshTokenId: refresh.entity.id },
      cookies: loginCookies(this.cookiePolicy, access.token, {
        token: refresh.token,
        maxAgeSeconds: settings.refreshTokenTimeToLiveInMinutes * 60,
      }),
    };
  }

  async listForUser(caller: Caller, userId: string | null): Promise<JsonObject> {
    if (userId === null) throw ApiError.field('missing', 'userId');
    const user = await this.users.getById(caller.tenantId, userId);
    if (user === null) throw EmptyResponse.notFound;
    const tokens = await this.refreshTokens.list({ tenantId: caller.tenantId, userId });
    return { refreshTokens: tokens.map(refreshTokenToJson) };
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    const token = await this.refreshTokens.getById(caller.tenantId, id);
    if (token === null) throw EmptyResponse.notFound;
    return { refreshToken: refreshTokenToJson(token) };
  }

  async revoke(caller: Caller, revocation: Revocation): Promise<void> {
    const { token, id, userId, applicationId } = revocation;
    if (id !== undefined)
      return this.revokeOne(caller, await this.refreshTokens.getById(caller.tenantId, id));
    if (token !== undefined && token !== null) {
      const entity = token.length > MAX_TOKEN ? null : await this.refreshTokens.find(token);
      return this.revokeOne(caller, entity);
    }
    if (caller.principal.kind !== 'apiKey') throw EmptyResponse.unauthorized;
    if (!userId && !applicationId)
      throw ApiError.field(
        'missing',
        'token',
        'You must specify a token, a refresh token id, a userId or an applicationId.',
      );
    await this.revokeSelected(caller.tenantId, userId ?? null, applicationId ?? null);
  }

  /** A user may revoke a token of its own; a token of anyone else is, to it, no token. */
  private async revokeOne(caller: Caller, entity: RefreshTokenEntity | null): Promise<void> {
    const { principal } = caller;
    const visible =
      entity !== null &&
      (caller.tenantId === null || entity.tenantId === caller.tenantId) &&
      (principal.kind !== 'user' || principal.jwt.userId === entity.userId);
    if (!visible) throw EmptyResponse.notFound;
    await this.refreshTokens.revokeAll([entity]);
  }

  private async revokeSelected(
    tenantId: string | null,
    userId: string | null,
    applicationId: string | null,
  ): Promise<void> {
    if (userId !== null && (await this.users.getById(tenantId, userId)) === null)
      throw EmptyResponse.notFound;
    if (
      applicationId !== null &&
      (await this.applications.getById(tenantId, applicationId)) === null
    )
      throw EmptyResponse.notFound;
    const selection: TokenSelection = { tenantId };
    if (userId !== null) selection.userId = userId;
    if (applicationId !== null) selection.applicationId = applicationId;
    await this.refreshTokens.revoke(selection);
  }
}

/** `{refreshToken, token?}`: the refresh token is required; `token` (the old JWT) is not used. */
function readRefreshRequest(body: unknown): string {
  if (body !== undefined && !isObject(body)) throw ApiError.general('couldNotParseJSON');
  const fields = new Fields(body ?? {}, '', new FieldErrors());
  const token = fields.string('refreshToken', { max: MAX_TOKEN });
  fields.string('token', { max: 16 * 1024 });
  fields.errors.throwIfAny();
  if (token === null || token === '') throw ApiError.field('blank', 'refreshToken');
  return token;
}
