import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { heldPerReplica } from '../key-cache/replica-view';
import {
  DEFAULT_SYSTEM_SETTINGS,
  readSystemConfigurationRequest,
  SystemSettings,
  systemConfigurationToJson,
} from './system-configuration.dto';
import { SystemConfigurationEntity } from './system-configuration.entity';

const ROW_ID = 1;

/**
 * FusionAuth's System Configuration API (global, API key), for what Portcullis uses of it:
 * `corsConfiguration`, with `reportTimezone` and `data` kept as given. Every replica holds
 * the settings in memory; a change is announced so the others read it again at once (and
 * a cache TTL bounds a lost message).
 */
@Injectable()
export class SystemConfigurationService implements OnApplicationBootstrap {
  private readonly rows: Repository<SystemConfigurationEntity>;
  private readonly held: ReplicaCache<SystemSettings>;

  constructor(
    dataSource: DataSource,
    private readonly hub: ChangeHub,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rows = dataSource.getRepository(SystemConfigurationEntity);
    this.held = heldPerReplica(
      hub,
      config,
      async () =>
        ((await this.rows.findOneBy({ id: ROW_ID }))?.configuration as
          SystemSettings | undefined) ?? DEFAULT_SYSTEM_SETTINGS,
      {
        maxEntries: 1,
        what: 'the system configuration',
        onChange: (event, cache) => {
          if (event.type === 'systemConfiguration.changed') cache.flush();
        },
      },
    );
  }

  /** The row exists from the first boot on (replicas booting at once: the first insert wins). */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.rows.countBy({ id: ROW_ID })) > 0) return;
    const now = Date.now();
    try {
      const row: SystemConfigurationEntity = {
        id: ROW_ID,
        configuration: DEFAULT_SYSTEM_SETTINGS as unknown as JsonObject,
        insertInstant: now,
        lastUpdateInstant: now,
      };
      await this.rows.insert(row as QueryDeepPartialEntity<SystemConfigurationEntity>);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /** The settings in force on this replica (at once when held). */
  settings(): SystemSettings | Promise<SystemSettings> {
    return this.held.get('system');
  }

  async retrieve(): Promise<JsonObject> {
    const row = await this.rows.findOneBy({ id: ROW_ID });
    return {
      systemConfiguration: systemConfigurationToJson(
        (row?.configuration as SystemSettings | undefined) ?? DEFAULT_SYSTEM_SETTINGS,
        row === null ? null : row,
      ),
    };
  }

  async replace(body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'systemConfiguration');
    const settings = readSystemConfigurationRequest(body);
    const now = Date.now();
    const current = await this.rows.findOneBy({ id: ROW_ID });
    const row: SystemConfigurationEntity = {
      id: ROW_ID,
      configuration: settings as unknown as JsonObject,
      insertInstant: current?.insertInstant ?? now,
      lastUpdateInstant: now,
    };
    try {
      await this.rows.save(row);
    } finally {
      await this.hub.announce({ type: 'systemConfiguration.changed' });
    }
    return { systemConfiguration: systemConfigurationToJson(settings, row) };
  }

  async patch(body: unknown, mode: PatchMode): Promise<JsonObject> {
    const current = await this.retrieve();
    return this.replace(applyPatch(current, body, mode));
  }
}
