import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { newId } from '../common/uuid';
import { ChangePasswordIdEntity, PreviousPasswordEntity } from './password.entity';

/** Change password ids (by digest) and the passwords users had. */
@Injectable()
export class PasswordRepository {
  private readonly ids: Repository<ChangePasswordIdEntity>;
  private readonly previous: Repository<PreviousPasswordEntity>;

  constructor(dataSource: DataSource) {
    this.ids = dataSource.getRepository(ChangePasswordIdEntity);
    this.previous = dataSource.getRepository(PreviousPasswordEntity);
  }

  /** A new id for the user, replacing any it had: one outstanding workflow per user. */
  async startWorkflow(entity: ChangePasswordIdEntity): Promise<void> {
    await this.ids.delete({ userId: entity.userId });
    await this.ids.insert(entity as QueryDeepPartialEntity<ChangePasswordIdEntity>);
  }

  /** The id, unless it is unknown, used or expired. */
  findLive(idDigest: string, now: number): Promise<ChangePasswordIdEntity | null> {
    return this.ids.findOneBy({ idDigest, expirationInstant: MoreThan(now) });
  }

  /**
   * Uses the id up: one statement, so of concurrent requests with the same id exactly one
   * removes it (the database decides), and only that one may go on.
   */
  async consume(idDigest: string, now: number): Promise<boolean> {
    const result = await this.ids.delete({ idDigest, expirationInstant: MoreThan(now) });
    return result.affected === 1;
  }

  /** A password change ends every workflow the user had under way. */
  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(ChangePasswordIdEntity).delete({ userId });
  }

  /** The user's earlier password hashes, the latest first. */
  async previousHashes(userId: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.previous.find({
      where: { userId },
      order: { insertInstant: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => row.passwordHash);
  }

  /** Adds `replaced` to the user's earlier passwords and keeps only the latest `keep`. */
  async keepPrevious(
    manager: EntityManager,
    userId: string,
    replaced: string | null,
    keep: number,
    now: number,
  ): Promise<void> {
    const previous = manager.getRepository(PreviousPasswordEntity);
    if (replaced !== null && keep > 0)
      await previous.insert({ id: newId(), userId, passwordHash: replaced, insertInstant: now });
    // A user has at most a handful of rows; MySQL takes no OFFSET without a LIMIT.
    const rows = await previous.find({
      select: { id: true },
      where: { userId },
      order: { insertInstant: 'DESC', id: 'DESC' },
    });
    const stale = rows.slice(keep).map((row) => row.id);
    if (stale.length > 0) await previous.delete(stale);
  }
}
