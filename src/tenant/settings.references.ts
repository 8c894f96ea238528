import { requireIpAclReference } from '../ip-acl/ip-acl.reference';
import { IpAclRepository } from '../ip-acl/ip-acl.repository';
import { requireSigningKeyReferences } from '../signing-key/signing-key.reference';
import { SigningKeyRepository } from '../signing-key/signing-key.repository';
import { JwtSettings } from './tenant.dto';

/** What a tenant's or an application's settings name elsewhere. */
export interface ReferencingSettings {
  jwtConfiguration: JwtSettings;
  accessControlConfiguration: { uiIPAccessControlListId: string | null };
}

/**
 * The IP ACL and signing keys that tenant or application settings name must exist
 * (`[invalid]<wrapper>.…`): a stored reference to nothing is refused, not kept.
 */
export async function requireSettingsReferences(
  ipAcls: IpAclRepository,
  signingKeys: SigningKeyRepository,
  settings: ReferencingSettings,
  wrapper: 'tenant' | 'application',
): Promise<void> {
  await requireIpAclReference(
    ipAcls,
    settings.accessControlConfiguration.uiIPAccessControlListId,
    `${wrapper}.accessControlConfiguration.uiIPAccessControlListId`,
  );
  await requireSigningKeyReferences(
    signingKeys,
    settings.jwtConfiguration,
    `${wrapper}.jwtConfiguration`,
  );
}
