import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject, SERVER_SET } from '../common/fields';
import { IpAclEntity } from './ip-acl.entity';
import { ACTIONS, DEFAULT_START, IpAclAction, IpAclEntry, isRangeEntry } from './ip-acl.matcher';
import { parseIp } from './ip-address';

export interface IpAclInput {
  name: string;
  entries: IpAclEntry[];
  data: JsonObject;
}

const ADDRESS_MAX = 64;

/** One entry; null when it has errors (recorded in `entry.errors`). */
function readEntry(entry: Fields): IpAclEntry | null {
  const action = entry.choice('action', ACTIONS) as IpAclAction | null;
  if (action === null && !entry.errors.has(entry.name('action')))
    entry.errors.add('blank', entry.name('action'));
  const start = entry.requiredString('startIPAddress', { max: ADDRESS_MAX });
  if (start === DEFAULT_START) return action === null ? null : { action, startIPAddress: start };
  const end = entry.requiredString('endIPAddress', { max: ADDRESS_MAX });
  const startIp = start === null ? null : parseIp(start);
  const endIp = end === null ? null : parseIp(end);
  if (start !== null && startIp === null) {
    entry.errors.add(
      'invalid',
      entry.name('startIPAddress'),
      `The [${entry.name('startIPAddress')}] must be an IPv4 or IPv6 address, or [*] for the default action.`,
    );
  }
  if (end !== null && endIp === null) {
    entry.errors.add(
      'invalid',
      entry.name('endIPAddress'),
      `The [${entry.name('endIPAddress')}] must be an IPv4 or IPv6 address.`,
    );
  }
  if (action === null || start === null || end === null || startIp === null || endIp === null)
    return null;
  const read: IpAclEntry = { action, startIPAddress: start, endIPAddress: end };
  if (!isRangeEntry(read)) {
    entry.errors.add(
      'invalid',
      entry.name('endIPAddress'),
      `The [${entry.name('endIPAddress')}] must be of the same family as the [${entry.name('startIPAddress')}] and not below it (a single address: the same value).`,
    );
    return null;
  }
  return read;
}

function readEntries(list: Fields): IpAclEntry[] {
  const field = list.name('entries');
  const entries = list.objectArray('entries');
  if (entries === null || entries.length === 0) {
    if (!list.errors.has(field)) list.errors.add('blank', field);
    return [];
  }
  const defaults = entries.filter((entry) => entry.raw('startIPAddress') === DEFAULT_START);
  if (defaults.length === 0) {
    list.errors.add(
      'missing',
      field,
      `The [${field}] must hold one entry with startIPAddress [*]: the default action.`,
    );
  }
  for (const extra of defaults.slice(1)) {
    extra.errors.add(
      'duplicate',
      extra.name('startIPAddress'),
      `Only one of the [${field}] may have startIPAddress [*].`,
    );
  }
  return entries.map(readEntry).filter((entry): entry is IpAclEntry => entry !== null);
}

/**
 * Reads `{"ipAccessControlList": {...}}`. Read-only fields (id, instants) are ignored,
 * so a retrieved list can be sent back.
 */
export function readIpAclRequest(body: unknown): IpAclInput {
  const errors = new FieldErrors();
  const { inner: list } = Fields.root(body, 'ipAccessControlList', errors);
  const input: IpAclInput = {
    name: list.requiredString('name', { max: 191, singleLine: true }) ?? '',
    entries: readEntries(list),
    data: list.record('data') ?? {},
  };
  list.typeCheck(SERVER_SET);
  errors.throwIfAny();
  return input;
}

/** The one place a list becomes JSON. */
export function ipAclToJson(entity: IpAclEntity): JsonObject {
  return {
    id: entity.id,
    name: entity.name,
    entries: entity.entries,
    data: entity.data,
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
  };
}
