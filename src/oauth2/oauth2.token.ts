import { Inject, Injectable } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { ApplicationEntity } from '../application/application.entity';
import { ClientRecord } from '../client-credentials/client.directory';
import { OAuthError } from '../common/oauth-error';
import { parseUuid } from '../common/uuid';
import { TenantEntity } from '../tenant/tenant.entity';
import { TenantCache } from '../tenant/tenant.cache';
import { ClientAuthentication } from './oauth2.client';
import { TokenForm } from './oauth2.form';
import { AccessTokenResponse, TOKEN_GRANTS, TokenGrant } from './oauth2.grant';

/** A token request as the HTTP layer hands it over. */
export interface TokenRequest {
  readonly body: unknown;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly tenantHeader: string | string[] | undefined;
}

/** The authenticated client: an application, or an entity for client credentials. */
type Client =
  | { readonly kind: 'application'; readonly application: ApplicationEntity }
  | { readonly kind: 'entity'; readonly entity: ClientRecord };

/** What the steps learn, in order; each step reads what earlier ones set. */
interface Exchange {
  readonly request: TokenRequest;
  form?: TokenForm;
  grant?: TokenGrant;
  client?: Client;
  tenant?: TenantEntity;
  response?: AccessTokenResponse;
}

function tenantIdOf(client: Client): string {
  return client.kind === 'application' ? client.application.tenantId : client.entity.tenantId;
}

type Step = (exchange: Exchange) => void | Promise<void>;

function readForm(exchange: Exchange): void {
  exchange.form = TokenForm.of(exchange.request.body, exchange.request.contentType);
}

/** Applications enable grants one by one; an entity's only grant is client credentials. */
function checkGrantEnabled({ client, grant }: Exchange): void {
  if (client!.kind !== 'application') return;
  const { enabledGrants } = configurationOf(client!.application).oauthConfiguration;
  if (!enabledGrants.includes(grant!.type))
    throw new OAuthError(
      'unauthorized_client',
      'grant_type_disabled',
      `The grant_type [${grant!.type}] is not enabled for this client.`,
    );
}

async function runGrant(exchange: Exchange): Promise<void> {
  const { form, client, tenant, grant } = exchange;
  if (grant!.client === 'application' && client!.kind === 'application')
    exchange.response = await grant!.exchange({
      form: form!,
      client: client!.application,
      tenant: tenant!,
    });
  else if (grant!.client === 'entity' && client!.kind === 'entity')
    exchange.response = await grant!.exchange({
      form: form!,
      client: client!.entity,
      tenant: tenant!,
    });
  else throw new Error(`grant ${grant!.type} was handed the wrong kind of client`);
}

/**
 * `POST /oauth2/token` as a list of small named steps: read the form, pick the grant,
 * authenticate the client, check the client may use the grant and its tenant, run the
 * grant. Every refusal is an `OAuthError` (RFC 6749 §5.2).
 */
@Injectable()
export class TokenEndpoint {
  private readonly grants: ReadonlyMap<string, TokenGrant>;
  private readonly steps: readonly Step[];

  constructor(
    @Inject(TOKEN_GRANTS) grants: TokenGrant[],
    private readonly clients: ClientAuthentication,
    private readonly tenants: TenantCache,
  ) {
    this.grants = new Map(grants.map((grant) => [grant.type, grant]));
    this.steps = [
      readForm,
      this.chooseGrant.bind(this),
      this.authenticateClient.bind(this),
      checkGrantEnabled,
      this.resolveTenant.bind(this),
      runGrant,
    ];
  }

  async token(request: TokenRequest): Promise<AccessTokenResponse> {
    const exchange: Exchange = { request };
    for (const step of this.steps) await step(exchange);
    return exchange.response!;
  }

  private async authenticateClient(exchange: Exchange): Promise<void> {
    const { form, grant, request } = exchange;
    exchange.client =
      grant!.client === 'application'
        ? {
            kind: 'application',
            application: await this.clients.authenticate(form!, request.authorization),
          }
        : {
            kind: 'entity',
            entity: await this.clients.authenticateEntity(form!, request.authorization),
          };
  }

  private chooseGrant(exchange: Exchange): void {
    const type = exchange.form!.one('grant_type');
    if (type === null)
      throw new OAuthError('invalid_request', 'missing_grant_type', 'The grant_type is missing.');
    const grant = this.grants.get(type);
    if (grant === undefined)
      throw new OAuthError(
        'unsupported_grant_type',
        'invalid_grant_type',
        `The grant_type [${type.slice(0, 64)}] is not supported.`,
      );
    exchange.grant = grant;
  }

  /**
   * The client's tenant. An `X-FusionAuth-TenantId` header or a `tenantId` parameter
   * (FusionAuth's client sends one with `clientCredentialsGrantWithRequest`) naming
   * another tenant is refused.
   */
  private async resolveTenant(exchange: Exchange): Promise<void> {
    const { client, request, form } = exchange;
    const tenantId = tenantIdOf(client!);
    const header = request.tenantHeader;
    const named = [header, form!.one('tenantId') ?? undefined].filter(
      (value) => value !== undefined,
    );
    for (const value of named) {
      if ((typeof value === 'string' ? parseUuid(value) : null) !== tenantId)
        throw new OAuthError(
          'invalid_client',
          'invalid_client_id',
          'The client does not belong to the tenant of the request.',
        );
    }
    const tenant = await this.tenants.byId(tenantId);
    if (tenant === null) throw new Error(`client of tenant ${tenantId} has no tenant`);
    exchange.tenant = tenant;
  }
}
