import { Injectable } from '@nestjs/common';
import { permissionsFromJson } from '../auth/permissions';
import { callerKey, Caller } from '../auth/principal';
import { JsonObject } from '../common/fields';
import { queryFields, queryInteger } from '../common/query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/search';
import {
  API_KEY_EVENT_TYPES,
  ApiKeyEventEntity,
  ApiKeyEventType,
} from '../audit/api-key-event.entity';
import { ApiKeyEventRepository, EventCriteria } from '../audit/api-key-event.repository';
import type { RateLimit } from '../rate-limit/rate-limit';
import { Authority, withinAuthority } from './api-key.authority';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';

/** How many events one listing reads at most to find the ones the caller may see. */
const SCAN_LIMIT = 10_000;
const SCAN_PAGE = 500;

/** A key's authority as the trail keeps it, for listings after the key is gone. */
export function authoritySnapshot(entity: ApiKeyEntity): Record<string, unknown> {
  return {
    tenantId: entity.tenantId,
    keyManager: entity.keyManager,
    permissions: entity.permissions,
    expirationInstant: entity.expirationInstant,
    ipAccessControlListId: entity.ipAccessControlListId,
    rateLimit: entity.rateLimit,
  };
}

function authorityOfSnapshot(snapshot: Record<string, unknown>): Authority {
  return {
    tenantId: (snapshot.tenantId as string | null) ?? null,
    keyManager: snapshot.keyManager === true,
    permissions: permissionsFromJson((snapshot.permissions as string | null) ?? null),
    expirationInstant: (snapshot.expirationInstant as number | null) ?? null,
    ipAccessControlListId: (snapshot.ipAccessControlListId as string | null) ?? null,
    rateLimit: (snapshot.rateLimit as RateLimit | null) ?? null,
  };
}

function eventToJson(event: ApiKeyEventEntity): JsonObject {
  return {
    id: event.id,
    keyId: event.keyId,
    type: event.type,
    callerKeyId: event.callerKeyId,
    address: event.address,
    instant: event.instant,
    changes: event.changes,
  };
}

/**
 * `GET /api/api-key/audit` (a Portcullis extension): the trail of the keys the caller
 * may see, newest first. A key's authority is its current one, or the one it had when
 * it was deleted; events of keys beyond the caller's authority are not listed.
 */
@Injectable()
export class ApiKeyAudit {
  constructor(
    private readonly events: ApiKeyEventRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async list(caller: Caller, query: Record<string, unknown>): Promise<JsonObject> {
    const fields = queryFields(query);
    const keyId = fields.uuid('keyId');
    const type = fields.string('type');
    const start = fields.long('start', { min: 0 });
    const end = fields.long('end', { min: 0 });
    if (type !== null && !API_KEY_EVENT_TYPES.includes(type as ApiKeyEventType))
      fields.errors.add(
        'invalid',
        'type',
        `The [type] must be one of ${API_KEY_EVENT_TYPES.join(', ')}.`,
      );
    fields.errors.throwIfAny();
    const startRow = queryInteger(query.startRow, 'startRow', 0, Number.MAX_SAFE_INTEGER);
    const numberOfResults = queryInteger(
      query.numberOfResults,
      'numberOfResults',
      DEFAULT_PAGE_SIZE,
      MAX_PAGE_SIZE,
    );
    const criteria: EventCriteria = {
      scope: caller.tenantId,
      keyId,
      type: type as ApiKeyEventType | null,
      start,
      end,
    };
    const visible = await this.visibleEvents(callerKey(caller), criteria);
    return {
      events: visible.slice(startRow, startRow + numberOfResults).map(eventToJson),
      total: visible.length,
    };
  }

  private async visibleEvents(holder: Authority, criteria: EventCriteria) {
    const visible: ApiKeyEventEntity[] = [];
    const authorities = new Map<string, Authority | null>();
    for (let offset = 0; offset < SCAN_LIMIT; offset += SCAN_PAGE) {
      const rows = await this.events.find(criteria, SCAN_PAGE, offset);
      await this.learnAuthorities(rows, authorities);
      for (const row of rows) {
        const authority = authorities.get(row.keyId) ?? null;
        if (authority !== null && withinAuthority(holder, authority)) visible.push(row);
      }
      if (rows.length < SCAN_PAGE) break;
    }
    return visible;
  }

  private async learnAuthorities(
    rows: readonly ApiKeyEventEntity[],
    known: Map<string, Authority | null>,
  ): Promise<void> {
    const unknown = [...new Set(rows.map((row) => row.keyId))].filter((id) => !known.has(id));
    if (unknown.length === 0) return;
    const current = await this.keys.recordsByIds(unknown);
    const gone = unknown.filter((id) => !current.has(id));
    const snapshots = await this.events.snapshots(gone);
    for (const id of unknown) {
      const record = current.get(id);
      const snapshot = snapshots.get(id);
      known.set(id, record ?? (snapshot === undefined ? null : authorityOfSnapshot(snapshot)));
    }
  }
}
