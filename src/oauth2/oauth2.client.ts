import { Injectable } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import { configurationOf } from '../application/application.dto';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationRepository } from '../application/application.repository';
import {
  ClientDirectory,
  ClientRecord,
  secretDigest,
} from '../client-credentials/client.directory';
import { OAuthError } from '../common/oauth-error';
import { parseUuid } from '../common/uuid';
import { TokenForm } from './oauth2.form';

interface PresentedClient {
  readonly clientId: string | null;
  readonly secret: string | null;
}

const invalidClient = () =>
  new OAuthError('invalid_client', 'invalid_client_id', 'The client could not be verified.');

/** Compared against when no client has the id, so an unknown client costs what a known one does. */
const NO_SECRET = hash('sha256', '\u0000', 'buffer');

function equalSecrets(given: string, expected: string): boolean {
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', expected, 'buffer'));
}

/** `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function fromBasic(header: string): PresentedClient {
  const match = /^basic +(\S+)$/i.exec(header);
  if (match === null)
    throw new OAuthError(
      'invalid_client',
      'invalid_client_authentication_scheme',
      'The Authorization header must use the Basic scheme.',
    );
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new OAuthError(
      'invalid_client',
      'invalid_client_authentication',
      'The Authorization header is malformed.',
    );
  try {
    // Empty reads as absent, as an empty form field does.
    const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' ')) || null;
    return {
      clientId: unescape(decoded.slice(0, colon)),
      secret: unescape(decoded.slice(colon + 1)),
    };
  } catch {
    throw new OAuthError(
      'invalid_client',
      'invalid_client_authentication',
      'The Authorization header is malformed.',
    );
  }
}

const noClient = () =>
  new OAuthError(
    'invalid_client',
    'client_authentication_missing',
    'The request names no client: send client_id, or HTTP Basic authentication.',
  );

const wrongSecret = () =>
  new OAuthError(
    'invalid_client',
    'invalid_client_authentication',
    'The client could not be verified.',
  );

/**
 * Which client is calling: `client_id`/`client_secret` in the form or HTTP Basic, never
 * both at once (RFC 6749 §2.3: one method per request). The client is the application
 * whose id is the `client_id` (its secret required unless its
 * `clientAuthenticationPolicy` is `NotRequired`), or, for client credentials, the entity
 * with that `clientId`. Secrets are compared in constant time, by their digests, whether
 * or not the client exists.
 */
@Injectable()
export class ClientAuthentication {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly entities: ClientDirectory,
  ) {}

  /**
   * An entity's secret is 256 random bits, so no slow hash guards it: the digests of the
   * presented secret and the held one are compared, and an unknown client costs the same.
   */
  async authenticateEntity(
    form: TokenForm,
    authorization: string | undefined,
  ): Promise<ClientRecord> {
    const presented = this.presented(form, authorization);
    if (presented.clientId === null) throw noClient();
    const entity = await this.entities.byClientId(presented.clientId);
    const matches = timingSafeEqual(
      secretDigest(presented.secret ?? ''),
      entity?.secretDigest ?? NO_SECRET,
    );
    if (entity === null) throw invalidClient();
    if (presented.secret === null)
      throw new OAuthError(
        'invalid_client',
        'missing_client_secret',
        'The client must authenticate with its client_secret.',
      );
    if (!matches) throw wrongSecret();
    return entity;
  }

  async authenticate(
    form: TokenForm,
    authorization: string | undefined,
  ): Promise<ApplicationEntity> {
    const presented = this.presented(form, authorization);
    if (presented.clientId === null) throw noClient();
    const id = parseUuid(presented.clientId);
    const application = id === null ? null : await this.applications.getById(null, id);
    const expected = application?.active ? configurationOf(application).oauthConfiguration : null;
    // Compared even when there is no such client, so timing does not tell which ids exist.
    const matches = equalSecrets(presented.secret ?? '', expected?.clientSecret ?? '\u0000');
    if (application === null || expected === null) throw invalidClient();
    if (presented.secret === null) {
      if (expected.clientAuthenticationPolicy === 'NotRequired') return application;
      throw new OAuthError(
        'invalid_client',
        'missing_client_secret',
        'The client must authenticate with its client_secret.',
      );
    }
    if (!matches) throw wrongSecret();
    return application;
  }

  private presented(form: TokenForm, authorization: string | undefined): PresentedClient {
    const body = { clientId: form.one('client_id'), secret: form.one('client_secret') };
    if (authorization === undefined) return body;
    const basic = fromBasic(authorization);
    if (body.secret !== null)
      throw new OAuthError(
        'invalid_request',
        'invalid_client_authentication',
        'The client authenticated twice (HTTP Basic and client_secret); use one.',
      );
    if (body.clientId !== null && body.clientId !== basic.clientId)
      throw new OAuthError(
        'invalid_request',
        'client_id_mismatch',
        'The client_id parameter does not match the client of the Authorization header.',
      );
    return basic;
  }
}
