import { Injectable } from '@nestjs/common';
import {
  CLIENT_CREDENTIALS_GTY,
  clientTokenClaims,
} from '../client-credentials/client-token.claims';
import { parseClientScope, ScopeTarget } from '../client-credentials/client-scope';
import { ClientDirectory, ClientRecord } from '../client-credentials/client.directory';
import { OAuthError } from '../common/oauth-error';
import { JwtSigner } from '../jwt/jwt.signer';
import { TenantEntity } from '../tenant/tenant.entity';
import { AccessTokenResponse, EntityGrant, EntityGrantRequest, expiresIn } from './oauth2.grant';

const badTarget = (entityId: string) =>
  new OAuthError(
    'invalid_scope',
    'invalid_target_entity_scope',
    `The target entity [${entityId}] is not valid, or granted this client nothing.`,
  );

/**
 * The client credentials grant (RFC 6749 §4.4), FusionAuth's way: the client is an
 * entity, and the scope names target entities and the permissions asked of each. Every
 * permission asked must have been granted by that target to this entity; none asked
 * means all it granted. No scope: a token with neither `aud` nor `permissions`. The
 * token is signed with the entity type's key when its `jwtConfiguration` is enabled,
 * else the tenant's, and carries `gty: ["client_credentials"]` so it is never taken for
 * a user's.
 */
@Injectable()
export class ClientCredentialsGrant implements EntityGrant {
  readonly client = 'entity';
  readonly type = 'client_credentials';

  constructor(
    private readonly entities: ClientDirectory,
    private readonly signer: JwtSigner,
  ) {}

  async exchange({ form, client, tenant }: EntityGrantRequest): Promise<AccessTokenResponse> {
    const scope = form.one('scope');
    const targets = scope === null ? [] : parseClientScope(scope);
    if (targets === null)
      throw new OAuthError(
        'invalid_scope',
        'invalid_target_entity_scope',
        'The scope must be space-separated target-entity:<id>[:<permission>,...] values.',
      );
    const permissions = new Map<string, readonly string[]>();
    for (const target of targets)
      permissions.set(target.entityId, await this.granted(client, target));
    const { keyId, timeToLiveInSeconds } = await this.settings(client, tenant);
    const normalized =
      scope === null
        ? null
        : scope
            .split(' ')
            .filter((v) => v !== '')
            .join(' ');
    const claims = clientTokenClaims({
      recipientEntityId: client.id,
      tenantId: tenant.id,
      issuer: tenant.configuration.issuer,
      permissions,
      scope: normalized,
    });
    const signed = await this.signer.sign(claims, keyId, {
      timeToLiveInSeconds,
      header: { gty: [...CLIENT_CREDENTIALS_GTY] },
    });
    return {
      access_token: signed.token,
      expires_in: expiresIn(signed.expirationInstant),
      token_type: 'Bearer',
      ...(normalized === null ? {} : { scope: normalized }),
    };
  }

  /** What `target` granted `client`, narrowed to what was asked; a refusal otherwise. */
  private async granted(client: ClientRecord, target: ScopeTarget): Promise<readonly string[]> {
    const entity = await this.entities.entity(target.entityId);
    // Another tenant's entity is, to this client, no entity at all.
    if (entity === null || entity.tenantId !== client.tenantId) throw badTarget(target.entityId);
    const granted = (await this.entities.grant(entity.id, client.id)).permissions;
    if (granted === null || granted.length === 0) throw badTarget(target.entityId);
    if (target.permissions.length === 0) return granted;
    const missing = target.permissions.find((name) => !granted.includes(name));
    if (missing !== undefined)
      throw new OAuthError(
        'invalid_scope',
        'invalid_entity_permission_scope',
        `The target entity [${entity.id}] has not granted the permission [${missing.slice(0, 64)}].`,
      );
    return target.permissions;
  }

  private async settings(
    client: ClientRecord,
    tenant: TenantEntity,
  ): Promise<{ keyId: string; timeToLiveInSeconds: number }> {
    const own = await this.entities.tokenSettings(client.typeId);
    if (own !== null)
      return { keyId: own.accessTokenKeyId, timeToLiveInSeconds: own.timeToLiveInSeconds };
    const { accessTokenKeyId, timeToLiveInSeconds } = tenant.configuration.jwtConfiguration;
    if (accessTokenKeyId === null)
      throw new Error(`tenant ${tenant.id} names no access-token signing key`);
    return { keyId: accessTokenKeyId, timeToLiveInSeconds };
  }
}
