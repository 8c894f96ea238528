import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ApiKeyEventEntity, ApiKeyEventType } from './api-key-event.entity';

export interface EventCriteria {
  /** The caller's tenant, or null for a global caller. */
  readonly scope: string | null;
  readonly keyId: string | null;
  readonly type: ApiKeyEventType | null;
  readonly start: number | null;
  readonly end: number | null;
}

/** How many rows one pruning statement removes: small, so pruning never holds locks for long. */
const PRUNE_BATCH = 1_000;

@Injectable()
export class ApiKeyEventRepository {
  private readonly events: Repository<ApiKeyEventEntity>;

  constructor(dataSource: DataSource) {
    this.events = dataSource.getRepository(ApiKeyEventEntity);
  }

  async insertMany(events: readonly ApiKeyEventEntity[]): Promise<void> {
    if (events.length === 0) return;
    await this.events.insert(events as QueryDeepPartialEntity<ApiKeyEventEntity>[]);
  }

  /** Newest first; at most `limit` rows (the caller filters by authority, then pages). */
  find(criteria: EventCriteria, limit: number, offset = 0): Promise<ApiKeyEventEntity[]> {
    const query = this.events.createQueryBuilder('e');
    if (criteria.scope !== null) query.andWhere('e.tenantId = :scope', { scope: criteria.scope });
    if (criteria.keyId !== null) query.andWhere('e.keyId = :keyId', { keyId: criteria.keyId });
    if (criteria.type !== null) query.andWhere('e.type = :type', { type: criteria.type });
    if (criteria.start !== null) query.andWhere('e.instant >= :start', { start: criteria.start });
    if (criteria.end !== null) query.andWhere('e.instant < :end', { end: criteria.end });
    return query
      .orderBy('e.instant', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getMany();
  }

  /** The latest snapshot of each of these keys' authority, for keys that are gone. */
  async snapshots(keyIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (keyIds.length === 0) return new Map();
    const rows = await this.events.find({
      where: { keyId: In([...keyIds]) },
      order: { instant: 'ASC' },
      select: ['keyId', 'keySnapshot', 'instant'],
    });
    const latest = new Map<string, Record<string, unknown>>();
    for (const row of rows) if (row.keySnapshot !== null) latest.set(row.keyId, row.keySnapshot);
    return latest;
  }

  /** Removes up to one batch of events older than `before`; says how many went. */
  async pruneBatch(before: number): Promise<number> {
    const old = await this.events.find({
      where: { instant: LessThan(before) },
      select: ['id'],
      take: PRUNE_BATCH,
    });
    if (old.length === 0) return 0;
    await this.events.delete({ id: In(old.map((row) => row.id)) });
    return old.length;
  }
}
