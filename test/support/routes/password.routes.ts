import { SecuredRoute } from '../secured-route';
import { createUser, PASSWORD, uniqueEmail } from '../fixtures';

/** A user of the tenant, named by the login id the requests carry. */
const owned: SecuredRoute['owned'] = async (test, tenantId) => {
  const loginId = uniqueEmail('password');
  await createUser(test, tenantId, { email: loginId });
  return { loginId };
};

export const PASSWORD_ROUTES: SecuredRoute[] = [
  {
    method: 'POST',
    path: '/api/user/forgot-password',
    endpoint: '/api/user/forgot-password',
    owned,
    body: (values = {}) => ({
      loginId: values.loginId ?? uniqueEmail('nobody'),
      sendForgotPasswordEmail: false,
    }),
  },
  // Not `owned`: an unknown login id is a 400 here (FusionAuth's answer to an API key), so
  // every body this route gets is answered 200 or 400, as the property suite expects.
  {
    method: 'POST',
    path: '/api/user/change-password',
    endpoint: '/api/user/change-password',
    body: () => ({
      loginId: uniqueEmail('nobody'),
      currentPassword: PASSWORD,
      password: 'another good password',
    }),
  },
];
