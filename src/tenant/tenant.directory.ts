import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { withDeadline } from '../database/deadline';
import { ChangeHub } from '../key-cache/change.hub';
import { keepFresh } from '../key-cache/replica-view';
import type { ScimServerSettings } from './tenant.dto';
import { TenantRepository } from './tenant.repository';

/**
 * The set of tenant ids, held by each replica: the guard checks a tenant header
 * against it without a query, and "several tenants exist" is read from it.
 * Refreshed on every tenant change message, on resync, and every cache TTL.
 */
@Injectable()
export class TenantDirectory implements OnModuleInit, OnApplicationShutdown {
  private ids = new Set<string>();
  private refreshing: Promise<void> | null = null;
  /** A change arrived while a read was under way: that read may predate it, so read again. */
  private again = false;
  /** What this replica changed while a read was under way, applied over that read. */
  private readonly notes = new Map<string, boolean>();
  private readonly checks = new Map<string, Promise<boolean>>();
  private stop: (() => void) | null = null;

  constructor(
    private readonly tenants: TenantRepository,
    private readonly hub: ChangeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.stop = keepFresh(this.hub, this.config.apiKeyCacheTtlSeconds * 1000, {
      onEvent: (event) => {
        if (event.type === 'tenant.changed') void this.refresh().catch(() => undefined);
      },
      refresh: () => this.refresh(),
    });
    await this.refresh();
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  refresh(): Promise<void> {
    if (this.refreshing !== null) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        this.notes.clear();
        const ids = new Set(await this.deadline(this.tenants.ids(), 'reading the tenants'));
        for (const [id, present] of this.notes) {
          if (present) ids.add(id);
          else ids.delete(id);
        }
        this.ids = ids;
      } while (this.again);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** This replica created or deleted a tenant: known here before the write is answered. */
  note(id: string, present: boolean): void {
    if (present) this.ids.add(id);
    else this.ids.delete(id);
    if (this.refreshing !== null) this.notes.set(id, present);
  }

  /** Known at once, or confirmed by one read (a tenant made on another replica moments ago). */
  exists(id: string): boolean | Promise<boolean> {
    if (this.ids.has(id)) return true;
    let check = this.checks.get(id);
    if (check === undefined) {
      check = this.deadline(this.tenants.exists(id), 'a tenant lookup').then((found) => {
        if (found) this.ids.add(id);
        return found;
      });
      check.finally(() => this.checks.delete(id)).catch(() => undefined);
      this.checks.set(id, check);
    }
    return check;
  }

  /** A shared read is dropped at the deadline, so that a hung one is not joined forever. */
  private deadline<T>(read: Promise<T>, what: string): Promise<T> {
    return withDeadline(read, this.config.databaseQueryTimeoutMs, what);
  }

  /** The tenant's SCIM server wiring (null: no such tenant), for the client-credentials check. */
  async scimServer(tenantId: string): Promise<ScimServerSettings | null> {
    const tenant = await this.deadline(this.tenants.getById(tenantId), 'a tenant lookup');
    return tenant?.configuration.scimServerConfiguration ?? null;
  }

  count(): number {
    return this.ids.size;
  }

  /** The tenant, when there is exactly one. */
  soleTenantId(): string | null {
    if (this.ids.size !== 1) return null;
    return this.ids.values().next().value ?? null;
  }
}
