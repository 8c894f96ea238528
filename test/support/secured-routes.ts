import { API_KEY_ROUTES } from './routes/api-key.routes';
import { APPLICATION_ROUTES } from './routes/application.routes';
import { CLUSTER_ROUTES } from './routes/cluster.routes';
import { ENTITY_ROUTES } from './routes/entity.routes';
import { GROUP_ROUTES } from './routes/group.routes';
import { IP_ACL_ROUTES } from './routes/ip-acl.routes';
import { JWT_ROUTES } from './routes/jwt.routes';
import { LOGIN_ROUTES } from './routes/login.routes';
import { PASSWORD_ROUTES } from './routes/password.routes';
import { REGISTRATION_ROUTES } from './routes/registration.routes';
import { SIGNING_KEY_ROUTES } from './routes/signing-key.routes';
import { STATUS_ROUTES } from './routes/status.routes';
import { SYSTEM_CONFIGURATION_ROUTES } from './routes/system-configuration.routes';
import { TENANT_ROUTES } from './routes/tenant.routes';
import { USER_ROUTES } from './routes/user.routes';
import { SecuredRoute } from './secured-route';

export type { SecuredRoute } from './secured-route';

/** Every secured route; the security suite fails when the app serves one that is not here. */
export const SECURED_ROUTES: SecuredRoute[] = [
  ...API_KEY_ROUTES,
  ...TENANT_ROUTES,
  ...USER_ROUTES,
  ...PASSWORD_ROUTES,
  ...REGISTRATION_ROUTES,
  ...GROUP_ROUTES,
  ...APPLICATION_ROUTES,
  ...CLUSTER_ROUTES,
  ...STATUS_ROUTES,
  ...IP_ACL_ROUTES,
  ...SIGNING_KEY_ROUTES,
  ...JWT_ROUTES,
  ...LOGIN_ROUTES,
  ...ENTITY_ROUTES,
  ...SYSTEM_CONFIGURATION_ROUTES,
];
