import { ApiError } from '../common/api-error';
import { ApiKeyRecord } from '../key-cache/api-key.record';
import { RoutePolicy } from './route-policy.decorator';
import { resolveTenant, unknownTenantHeader } from './tenant-resolution';

const TENANT_A = '7c3e2b1a-5d4f-4e6a-9b8c-0d1e2f3a4b01';
const TENANT_B = '7c3e2b1a-5d4f-4e6a-9b8c-0d1e2f3a4b02';

function key(tenantId: string | null): ApiKeyRecord {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    tenantId,
    keyManager: false,
    permissions: null,
    expirationInstant: null,
    ipAccessControlListId: null,
    rateLimit: null,
  };
}

function policy(globalOnly: boolean): RoutePolicy {
  return {
    public: false,
    endpoint: globalOnly ? '/api/tenant/search' : '/api/user',
    globalOnly,
    keyManager: false,
    credentials: new Set(['apiKey']),
    optional: false,
    client: null,
    refusalBody: 'empty',
  };
}

const GLOBAL_ONLY = policy(true);
const TENANTED = policy(false);

const MALFORMED_HEADER = {
  fieldErrors: {
    'X-FusionAuth-TenantId': [
      {
        code: '[couldNotConvert]X-FusionAuth-TenantId',
        message:
          'The X-FusionAuth-TenantId header must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
      },
    ],
  },
};

describe('resolveTenant', () => {
  describe('on a global-only endpoint', () => {
    it('admits a global key without a header, confined to no tenant', () => {
      expect(resolveTenant(key(null), GLOBAL_ONLY, undefined)).toEqual({
        tenantId: null,
        verify: null,
      });
    });

    it('refuses a tenant-scoped key', () => {
      expect(resolveTenant(key(TENANT_A), GLOBAL_ONLY, undefined)).toBe('global_only');
    });

    it.each([TENANT_A, 'not-a-uuid', ''])('refuses any tenant header (%j)', (header) => {
      expect(resolveTenant(key(null), GLOBAL_ONLY, header)).toBe('global_only');
    });
  });

  describe('on a tenanted endpoint', () => {
    it('confines a scoped key without a header to its tenant', () => {
      expect(resolveTenant(key(TENANT_A), TENANTED, undefined)).toEqual({
        tenantId: TENANT_A,
        verify: null,
      });
    });

    it('leaves a global key without a header unconfined', () => {
      expect(resolveTenant(key(null), TENANTED, undefined)).toEqual({
        tenantId: null,
        verify: null,
      });
    });

    it('accepts a scoped key naming its own tenant, in any case', () => {
      expect(resolveTenant(key(TENANT_A), TENANTED, TENANT_A.toUpperCase())).toEqual({
        tenantId: TENANT_A,
        verify: null,
      });
    });

    it('refuses a scoped key naming another tenant', () => {
      expect(resolveTenant(key(TENANT_A), TENANTED, TENANT_B)).toBe('tenant_mismatch');
    });

    it('confines a global key to the header tenant, which the caller must verify', () => {
      expect(resolveTenant(key(null), TENANTED, ` ${TENANT_B.toUpperCase()} `)).toEqual({
        tenantId: TENANT_B,
        verify: TENANT_B,
      });
    });

    it('reads a header given once as a one-element list', () => {
      expect(resolveTenant(key(null), TENANTED, [TENANT_B])).toEqual({
        tenantId: TENANT_B,
        verify: TENANT_B,
      });
    });

    it.each<[string, string | string[]]>([
      ['not a UUID', 'tenant-a'],
      ['empty', ''],
      ['given twice', [TENANT_A, TENANT_B]],
    ])('answers 400 for a header that is %s', (_, header) => {
      for (const tenantId of [null, TENANT_A]) {
        const error = resolveTenant(key(tenantId), TENANTED, header);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).status).toBe(400);
        expect((error as ApiError).body).toEqual(MALFORMED_HEADER);
      }
    });
  });
});

describe('unknownTenantHeader', () => {
  it('is a 400 on the header field', () => {
    const error = unknownTenantHeader();
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      fieldErrors: {
        'X-FusionAuth-TenantId': [
          {
            code: '[invalid]X-FusionAuth-TenantId',
            message: 'The X-FusionAuth-TenantId header names no tenant.',
          },
        ],
      },
    });
  });
});
