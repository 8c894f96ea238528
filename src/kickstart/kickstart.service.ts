import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { ApiKeyService } from '../api-key/api-key.service';
import { generateKey } from '../auth/key-digest';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { withDatabaseLock } from '../database/database.lock';
import { TenantService } from '../tenant/tenant.service';
import { Kickstart, KickstartError, KickstartKey, parseKickstart } from './kickstart.file';
import { KickstartRepository } from './kickstart.repository';

export const BOOT_ENVIRONMENT = Symbol('BOOT_ENVIRONMENT');

export interface InjectedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export type Injector = (request: InjectedRequest) => Promise<{ statusCode: number; body: string }>;

/** A refused key entry, as the operator wrote it: `apiKeys[1].tenantId: The … names no tenant.` */
function keyEntryError(index: number, error: ApiError): KickstartError {
  const problems = [
    ...Object.entries(error.body.fieldErrors ?? {}).flatMap(([field, entries]) =>
      entries.map((entry) => `${field.replace(/^apiKey\./, '.')}: ${entry.message}`),
    ),
    ...(error.body.generalErrors ?? []).map((entry) => `: ${entry.message}`),
  ];
  return new KickstartError(`kickstart: apiKeys[${index}]${problems.join('; ')}`);
}

/** The key names a tenant that does not exist (yet): the one reason to wait for the requests. */
function onlyUnknownTenant(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields = Object.keys(error.body.fieldErrors ?? {});
  return (
    error.body.generalErrors === undefined &&
    fields.length === 1 &&
    error.body.fieldErrors?.['apiKey.tenantId']?.every(
      (entry) => entry.code === '[invalid]apiKey.tenantId',
    ) === true
  );
}

/**
 * First-boot seeding, once per database and once across replicas: the Default tenant,
 * then either the kickstart file or, with none, one key-manager super key shown once on
 * stdout. Whether a database was seeded is recorded, not read from the key table, so a
 * table emptied later (the last key deleted) stays empty: no new super key appears.
 */
@Injectable()
export class KickstartService {
  private readonly logger = new Logger('Kickstart');
  private seededThisBoot = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BOOT_ENVIRONMENT) private readonly env: NodeJS.ProcessEnv,
    private readonly dataSource: DataSource,
    private readonly tenants: TenantService,
    private readonly apiKeys: ApiKeyService,
    private readonly keys: ApiKeyRepository,
    private readonly firstBoot: KickstartRepository,
  ) {}

  async run(inject: Injector): Promise<void> {
    const kickstart =
      this.config.kickstartFile === null ? null : await this.read(this.config.kickstartFile);
    await withDatabaseLock(this.dataSource, 'portcullis.kickstart', async () => {
      await this.tenants.ensureDefault();
      const claim = await this.firstBoot.claim(kickstart === null ? 'firstKey' : 'kickstart');
      if (claim === 'seeded') return;
      if (claim === 'interrupted')
        this.logger.warn('an earlier first-boot seeding did not finish: seeding again');
      try {
        if (kickstart === null) this.show(await this.createManager('Created at first boot'));
        else await this.apply(kickstart, inject);
      } catch (error) {
        // Nothing was seeded: a corrected file is applied on the next boot.
        await this.firstBoot.release();
        throw error;
      }
      await this.firstBoot.complete();
      this.seededThisBoot = true;
    });
  }

  /**
   * The operator's way back into a database without a usable key manager: one more
   * key-manager super key, returned to be shown once. A database seeded by this very
   * boot needs none (its first key was just shown, or the kickstart file applied).
   */
  async recover(): Promise<string | null> {
    if (this.seededThisBoot) return null;
    const key = await this.createManager(`Created by --recover-key on ${new Date().toISOString()}`);
    this.logger.warn('a key-manager super key was created by --recover-key');
    return key;
  }

  private async read(path: string): Promise<Kickstart> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new KickstartError(
        `kickstart: cannot read KICKSTART_FILE ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return parseKickstart(text, this.env);
  }

  private async createManager(description: string): Promise<string> {
    const key = generateKey();
    await this.apiKeys.createTrusted({
      key,
      description,
      keyManager: true,
      tenantId: null,
      permissions: null,
    });
    return key;
  }

  private show(key: string): void {
    process.stdout.write(
      `\nPortcullis created its first API key (a key manager with every permission):\n\n  ${key}\n\n` +
        'Store it now: it will not be shown again.\n\n',
    );
  }

  /**
   * FusionAuth creates the keys, then runs the requests with the first. A later key may
   * name a tenant those requests create: it is created after them (a Portcullis
   * extension; a file FusionAuth accepts runs the same).
   */
  private async apply(kickstart: Kickstart, inject: Injector): Promise<void> {
    const created: string[] = [];
    try {
      const waiting: [number, KickstartKey][] = [];
      for (const [index, spec] of kickstart.apiKeys.entries()) {
        const id = await this.createKey(index, spec, index > 0);
        if (id === null) waiting.push([index, spec]);
        else created.push(id);
      }
      await this.runRequests(kickstart, inject);
      for (const [index, spec] of waiting)
        created.push((await this.createKey(index, spec, false)) as string);
      this.logger.log(
        `kickstart applied: ${kickstart.apiKeys.length} keys, ${kickstart.requests.length} requests`,
      );
    } catch (error) {
      // Leave no keys behind, so that a corrected file is applied on the next boot.
      for (const id of created) await this.keys.delete(id);
      throw error;
    }
  }

  /** The new key's id; null when it names a tenant not there yet and `mayWait`. */
  private async createKey(
    index: number,
    spec: KickstartKey,
    mayWait: boolean,
  ): Promise<string | null> {
    try {
      return (await this.apiKeys.createTrusted(spec)).id;
    } catch (error) {
      if (mayWait && onlyUnknownTenant(error)) return null;
      if (error instanceof ApiError) throw keyEntryError(index, error);
      throw error;
    }
  }

  private async runRequests(kickstart: Kickstart, inject: Injector): Promise<void> {
    const first = kickstart.apiKeys[0];
    for (const [index, request] of kickstart.requests.entries()) {
      const headers: Record<string, string> = { authorization: first.key };
      if (request.tenantId !== null) headers['x-fusionauth-tenantid'] = request.tenantId;
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
      const response = await inject({ method: request.method, url: request.url, headers, payload });
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new KickstartError(
          `kickstart: requests[${index}] ${request.method} ${request.url} failed with ${response.statusCode} ${response.body.slice(0, 500)}`,
        );
      }
    }
  }
}
