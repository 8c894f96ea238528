import { FieldErrors } from '../common/api-error';
import { IpAclRepository } from './ip-acl.repository';

/**
 * A field that names an IP access control list must name one that exists; FusionAuth
 * answers `[invalid]` rather than store a reference to nothing.
 */
export async function checkIpAclReference(
  lists: IpAclRepository,
  id: string | null,
  field: string,
  errors: FieldErrors,
): Promise<void> {
  if (id !== null && !(await lists.exists(id)))
    errors.add('invalid', field, `The [${field}] names no IP access control list.`);
}

/** The same check for a request that names nothing else to check: refused at once. */
export async function requireIpAclReference(
  lists: IpAclRepository,
  id: string | null,
  field: string,
): Promise<void> {
  const errors = new FieldErrors();
  await checkIpAclReference(lists, id, field, errors);
  errors.throwIfAny();
}

/**
 * A LIKE pattern for a settings column (JSON text) whose `uiIPAccessControlListId` is
 * this list. The id is a parsed UUID, so it holds no LIKE wildcard.
 */
export function uiIpAclPattern(id: string): string {
  return `%"uiIPAccessControlListId":"${id}"%`;
}
