import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { withDeadline } from '../database/deadline';
import { ChangeHub } from '../key-cache/change.hub';
import { keepFresh } from '../key-cache/replica-view';
import { IpAclEntity } from './ip-acl.entity';
import { IpAclMatcher } from './ip-acl.matcher';
import { IpAclRepository } from './ip-acl.repository';

/** How long a replica believes a list it looked up does not exist. */
const ABSENT_MS = 5_000;

interface Load {
  readonly generation: number;
  readonly promise: Promise<IpAclMatcher | null>;
}

/**
 * Every IP access control list, compiled, held by each replica: the authenticator
 * checks a key's list without a query. Refreshed on each `ipAcl.changed` message (the
 * one list), on bus resync and every cache TTL (all of them). A load that started
 * before a change to its list never applies its older reading.
 */
@Injectable()
export class IpAclDirectory implements OnModuleInit, OnApplicationShutdown {
  private matchers = new Map<string, IpAclMatcher>();
  /** Per list, the change count when it last changed: a load applies only if still current. */
  private readonly generations = new Map<string, number>();
  private changes = 0;
  private readonly absentUntil = new Map<string, number>();
  private readonly loads = new Map<string, Load>();
  private refreshing: Promise<void> | null = null;
  private stop: (() => void) | null = null;

  constructor(
    private readonly lists: IpAclRepository,
    private readonly hub: ChangeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.stop = keepFresh(this.hub, this.config.apiKeyCacheTtlSeconds * 1000, {
      onEvent: (event) => {
        if (event.type === 'ipAcl.changed')
          void this.reload(event.ipAccessControlListId).catch(() => undefined);
      },
      refresh: () => this.refresh(),
    });
    await this.refresh();
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /**
   * The compiled list: known at once, or confirmed by one read (a list made on another
   * replica moments ago). Null: no such list.
   */
  matcher(id: string): IpAclMatcher | null | Promise<IpAclMatcher | null> {
    const known = this.matchers.get(id);
    if (known !== undefined) return known;
    if ((this.absentUntil.get(id) ?? 0) > Date.now()) return null;
    return this.load(id);
  }

  /** After a change to one list: reads it again; earlier loads of it no longer apply. */
  async reload(id: string): Promise<void> {
    this.generations.set(id, ++this.changes);
    this.absentUntil.delete(id);
    await this.load(id);
  }

  /** Reads every list again, keeping lists that changed while it read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readAll().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readAll(): Promise<void> {
    const started = this.changes;
    const entities = await this.deadline(this.lists.all(), 'reading the IP ACLs');
    const next = new Map(
      entities.map((entity) => [entity.id, IpAclMatcher.compile(entity.entries)]),
    );
    for (const [id, generation] of this.generations) {
      if (generation <= started) continue;
      const current = this.matchers.get(id);
      if (current === undefined) next.delete(id);
      else next.set(id, current);
    }
    this.matchers = next;
  }

  private load(id: string): Promise<IpAclMatcher | null> {
    const generation = this.generations.get(id) ?? 0;
    const inFlight = this.loads.get(id);
    if (inFlight?.generation === generation) return inFlight.promise;
    const promise = this.deadline(this.lists.getById(id), 'an IP ACL lookup')
      .then((entity) =>
        (this.generations.get(id) ?? 0) === generation ? this.apply(id, entity) : this.load(id),
      )
      .finally(() => {
        if (this.loads.get(id)?.promise === promise) this.loads.delete(id);
      });
    this.loads.set(id, { generation, promise });
    return promise;
  }

  /** A shared read is dropped at the deadline, so that a hung one is not joined forever. */
  private deadline<T>(read: Promise<T>, what: string): Promise<T> {
    return withDeadline(read, this.config.databaseQueryTimeoutMs, what);
  }

  private apply(id: string, entity: IpAclEntity | null): IpAclMatcher | null {
    if (entity === null) {
      this.matchers.delete(id);
      this.absentUntil.set(id, Date.now() + ABSENT_MS);
      return null;
    }
    const matcher = IpAclMatcher.compile(entity.entries);
    this.matchers.set(id, matcher);
    this.absentUntil.delete(id);
    return matcher;
  }
}
