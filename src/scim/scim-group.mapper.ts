import { JsonObject, omitNulls } from '../common/fields';
import { parseUuid } from '../common/uuid';
import { ScimError } from './scim.error';
import type { PatchableAttributes } from './scim.patch';
import { metaOf, ScimReader, scimData, GROUP_SCHEMA, Stamped, withScimData } from './scim.resource';

export interface ScimGroupInput {
  displayName: string;
  externalId: string | null;
  /** User ids, each once. */
  members: string[];
}

/** A group's member as SCIM shows it: the user's id, and a name to show when it has one. */
export interface ScimMember {
  userId: string;
  display: string | null;
}

export interface GroupRecord extends Stamped {
  name: string;
  data: JsonObject;
}

export const GROUP_PATCHABLE: PatchableAttributes = {
  displayname: { name: 'displayName' },
  externalid: { name: 'externalId' },
  members: {
    name: 'members',
    multiValued: true,
    subs: { value: 'value', display: 'display', type: 'type', $ref: '$ref' },
  },
};

function readMember(entry: ScimReader): string {
  const type = entry.string('type');
  if (type !== null && type !== 'User')
    throw ScimError.invalidValue('Members are users: a member\'s "type" must be "User".');
  const value = entry.string('value');
  const id = value === null ? null : parseUuid(value);
  if (id === null) throw ScimError.invalidValue('Each member\'s "value" must be a user id.');
  return id;
}

/** Reads a SCIM Group request (POST, PUT, or a patched resource). */
export function readScimGroup(body: unknown): ScimGroupInput {
  const group = ScimReader.body(body, GROUP_SCHEMA);
  const displayName = group.string('displayName');
  if (displayName === null || displayName.trim() === '')
    throw ScimError.invalidValue('"displayName" is required.');
  return {
    displayName,
    externalId: group.string('externalId'),
    members: [...new Set(group.objects('members').map(readMember))],
  };
}

/** The Group API request that stores a SCIM Group, keeping the `data` it does not model. */
export function groupRequestOf(input: ScimGroupInput, current: GroupRecord | null): JsonObject {
  return {
    group: {
      name: input.displayName,
      data: withScimData(current?.data, { externalId: input.externalId }),
    },
  };
}

export function scimGroupOf(group: GroupRecord, members: ScimMember[], base: string): JsonObject {
  const externalId = scimData(group.data).externalId;
  return omitNulls({
    schemas: [GROUP_SCHEMA],
    id: group.id,
    externalId: typeof externalId === 'string' ? externalId : null,
    displayName: group.name,
    members: members.map((entry) =>
      omitNulls({
        value: entry.userId,
        display: entry.display,
        type: 'User',
        $ref: `${base}/Users/${entry.userId}`,
      }),
    ),
    meta: metaOf('Group', group, base),
  });
}
