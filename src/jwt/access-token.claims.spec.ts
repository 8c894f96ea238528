import { UserEntity } from '../user/user.entity';
import { accessTokenClaims, AccessTokenFacts } from './access-token.claims';

const user = {
  id: '00000000-0000-0000-0000-000000000001',
  email: 'richard@example.com',
  username: 'richard',
  verified: true,
} as UserEntity;

const facts: AccessTokenFacts = {
  user,
  tenantId: 'd7d09513-0000-0000-0000-000000000000',
  issuer: 'acme.com',
  applicationId: 'e9fdb985-0000-0000-0000-000000000000',
  roles: ['Petty cash keeper'],
  authenticationType: 'PASSWORD',
  sessionId: 'f1000000-0000-0000-0000-000000000000',
  authTime: 1_692_270_365,
  scope: null,
};

describe('accessTokenClaims', () => {
  it("carries FusionAuth's claims for a registered user", () => {
    expect(accessTokenClaims(facts)).toEqual({
      sub: user.id,
      iss: 'acme.com',
      aud: facts.applicationId,
      applicationId: facts.applicationId,
      roles: ['Petty cash keeper'],
      authenticationType: 'PASSWORD',
      auth_time: 1_692_270_365,
      tid: facts.tenantId,
      email: 'richard@example.com',
      email_verified: true,
      preferred_username: 'richard',
      sid: facts.sessionId,
    });
  });

  it('leaves out applicationId and roles when the user is not registered (a 202 login)', () => {
    const claims = accessTokenClaims({ ...facts, roles: null });
    expect(claims.aud).toBe(facts.applicationId);
    expect(claims).not.toHaveProperty('applicationId');
    expect(claims).not.toHaveProperty('roles');
  });

  it('names no audience without an application, and no email or username the user lacks', () => {
    const claims = accessTokenClaims({
      ...facts,
      user: { ...user, email: null, username: null },
      applicationId: null,
      sessionId: null,
      scope: 'offline_access',
    });
    expect(claims).toEqual({
      sub: user.id,
      iss: 'acme.com',
      authenticationType: 'PASSWORD',
      auth_time: 1_692_270_365,
      tid: facts.tenantId,
      scope: 'offline_access',
    });
  });
});
