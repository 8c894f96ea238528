import { Inject, Injectable, Logger } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationRepository } from '../application/application.repository';
import { clientAddress, TrustedProxies } from '../auth/client-address';
import { Caller } from '../auth/principal';
import { resolveTenant, unknownTenantHeader } from '../auth/tenant-resolution';
import { ApiError, EmptyResponse } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { PasswordCheck } from '../password/password.check';
import { TenantDirectory } from '../tenant/tenant.directory';
import { TenantCache } from '../tenant/tenant.cache';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { LoginRequest, readLoginRequest } from './login.dto';
import { LoginFailureReason, LoginFailures } from './login.failures';
import { LoginOutcome, LoginSessions } from './login.session';

/** Where a login request came from, as the controller reads it off the HTTP request. */
export interface LoginContext {
  readonly tenantHeader: string | string[] | undefined;
  readonly socketAddress: string | undefined;
  readonly forwardedFor: string | string[] | undefined;
}

function unknownApplication(id: string): ApiError {
  return ApiError.field(
    'invalid',
    'applicationId',
    `No active Application exists with the id [${id}] in the tenant of this request.`,
  );
}

/**
 * FusionAuth's Login API. A wrong password, an unknown login id and an inactive user
 * are the same empty 404 after the same argon2 work (PasswordCheck), so neither the
 * answer nor its timing tells which. An API key is needed unless the named application
 * (else the named or only tenant) waives it; with nothing named that could waive it
 * (several tenants, no header, no application), a credential-less login is a 401: the
 * answer never depends on whom the login id names.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('Login');
  private readonly trustedProxies: TrustedProxies;

  constructor(
    private readonly users: UserRepository,
    private readonly applications: ApplicationRepository,
    private readonly tenants: TenantCache,
    private readonly tenantDirectory: TenantDirectory,
    private readonly passwords: PasswordCheck,
    private readonly sessions: LoginSessions,
    private readonly failures: LoginFailures,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.trustedProxies = new TrustedProxies(config.trustedProxies);
  }

  async login(caller: Caller, body: unknown, context: LoginContext): Promise<LoginOutcome> {
    const request = readLoginRequest(body);
    const scope = await this.scopeOf(caller, context.tenantHeader);
    const application = await this.applicationOf(scope, request.applicationId);
    await this.checkCredential(caller, request.applicationId, application, scope);
    const user = await this.findUser(scope ?? application?.tenantId ?? null, request);
    const candidate = user?.active ? user : null;
    if (!(await this.passwords.matches(candidate, request.password))) {
      const reason =
        user === null ? 'unknown_login_id' : user.active ? 'wrong_password' : 'inactive_user';
      this.refuse(reason, user, request, this.addressOf(caller, request, context));
    }
    return this.sessions.complete(candidate!, application, request.noJWT);
  }

  /** A login that happened elsewhere; the user must exist and be active (else 404). */
  async ping(caller: Caller, userId: string, applicationId: string | null): Promise<LoginOutcome> {
    const user = await this.users.getById(caller.tenantId, userId);
    if (user === null || !user.active) throw EmptyResponse.notFound;
    const application = await this.applicationOf(caller.tenantId, applicationId);
    if (applicationId !== null && application === null) throw unknownApplication(applicationId);
    return this.sessions.ping(user, application);
  }

  /** The caller's tenant: the key's or its header's, or for no credential the header's. */
  private async scopeOf(caller: Caller, header: string | string[] | undefined) {
    if (caller.principal.kind !== 'anonymous') return caller.tenantId;
    const check = resolveTenant({ tenantId: null }, { globalOnly: false }, header);
    if (check instanceof ApiError) throw check;
    if (typeof check === 'string') throw EmptyResponse.unauthorized;
    if (check.verify !== null && !(await this.tenantDirectory.exists(check.verify)))
      throw unknownTenantHeader();
    return check.tenantId;
  }

  /** The named application, when it is active and in the caller's tenant. */
  private async applicationOf(
    scope: string | null,
    id: string | null,
  ): Promise<ApplicationEntity | null> {
    if (id === null) return null;
    const application = await this.applications.getById(scope, id);
    return application?.active ? application : null;
  }

  /**
   * A key was judged on arrival; without one, the application's `requireAuthentication`
   * decides, else the tenant's. An application that cannot be found waives nothing.
   */
  private async checkCredential(
    caller: Caller,
    applicationId: string | null,
    application: ApplicationEntity | null,
    scope: string | null,
  ): Promise<void> {
    const anonymous = caller.principal.kind === 'anonymous';
    if (applicationId !== null && application === null) {
      if (anonymous) throw EmptyResponse.unauthorized;
      throw unknownApplication(applicationId);
    }
    if (!anonymous) return;
    if (application !== null) {
      if (configurationOf(application).loginConfiguration.requireAuthentication)
        throw EmptyResponse.unauthorized;
      return;
    }
    const tenantId = scope ?? this.tenantDirectory.soleTenantId();
    const tenant = tenantId === null ? null : await this.tenants.byId(tenantId);
    if (tenant === null || tenant.configuration.loginConfiguration.requireAuthentication)
      throw EmptyResponse.unauthorized;
  }

  /** A login id matching users of two tenants, with no tenant named, is ambiguous (400). */
  private async findUser(tenantId: string | null, request: LoginRequest) {
    const found = await this.users.findByLoginId(tenantId, request.loginId, request.loginIdTypes);
    if (found.length > 1) throw ApiError.general('TenantIdRequired');
    return found[0] ?? null;
  }

  /**
   * The end user's address for the failure tally: what a key-holding backend reports,
   * else the connection's (through trusted proxies): an anonymous caller cannot pick it.
   */
  private addressOf(caller: Caller, request: LoginRequest, context: LoginContext): string {
    if (caller.principal.kind === 'apiKey' && request.ipAddress !== null) return request.ipAddress;
    const address = clientAddress(context.socketAddress, context.forwardedFor, this.trustedProxies);
    return address?.address ?? 'unknown';
  }

  private refuse(
    reason: LoginFailureReason,
    user: UserEntity | null,
    request: LoginRequest,
    address: string,
  ): never {
    const subject = user?.id ?? `loginId:${this.failures.loginIdDigest(request.loginId)}`;
    this.metrics.loginFailures.inc({ reason });
    this.failures.record(subject, address);
    this.logger.log(`login refused: ${JSON.stringify({ reason, subject, address })}`);
    throw EmptyResponse.notFound;
  }
}
