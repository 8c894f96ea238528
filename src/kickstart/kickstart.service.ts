import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { ApiKeyService } from '../api-key/api-key.service';
import { generateKey } from '../auth/key-digest';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { withDatabaseLock } from '../database/database.lock';
import { TenantService } from '../tenant/tenant.service';
import { Kickstart, KickstartError, parseKickstart } from './kickstart.file';

export const BOOT_ENVIRONMENT = Symbol('BOOT_ENVIRONMENT');

export interface InjectedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export type Injector = (request: InjectedRequest) => Promise<{ statusCode: number; body: string }>;

/**
 * First-boot seeding, once across replicas: the Default tenant, then either the
 * kickstart file or, with none, one key-manager super key shown once on stdout.
 */
@Injectable()
export class KickstartService {
  private readonly logger = new Logger('Kickstart');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BOOT_ENVIRONMENT) private readonly env: NodeJS.ProcessEnv,
    private readonly dataSource: DataSource,
    private readonly tenants: TenantService,
    private readonly apiKeys: ApiKeyService,
    private readonly keys: ApiKeyRepository,
  ) {}

  async run(inject: Injector): Promise<void> {
    const kickstart =
      this.config.kickstartFile === null ? null : await this.read(this.config.kickstartFile);
    await withDatabaseLock(this.dataSource, 'portcullis.kickstart', async () => {
      await this.tenants.ensureDefault();
      if ((await this.keys.count()) > 0) return;
      if (kickstart === null) await this.bootstrapKey();
      else await this.apply(kickstart, inject);
    });
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

  private async bootstrapKey(): Promise<void> {
    const key = generateKey();
    await this.apiKeys.createTrusted({
      key,
      description: 'Created at first boot',
      keyManager: true,
      tenantId: null,
      permissions: null,
    });
    process.stdout.write(
      `\nPortcullis created its first API key (a key manager with every permission):\n\n  ${key}\n\n` +
        'Store it now: it will not be shown again.\n\n',
    );
  }

  private async apply(kickstart: Kickstart, inject: Injector): Promise<void> {
    const created: string[] = [];
    try {
      for (const spec of kickstart.apiKeys)
        created.push((await this.apiKeys.createTrusted(spec)).id);
      const first = kickstart.apiKeys[0];
      for (const [index, request] of kickstart.requests.entries()) {
        const headers: Record<string, string> = { authorization: first.key };
        if (request.tenantId !== null) headers['x-fusionauth-tenantid'] = request.tenantId;
        if (request.body !== undefined) headers['content-type'] = 'application/json';
        const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
        const response = await inject({
          method: request.method,
          url: request.url,
          headers,
          payload,
        });
        if (response.statusCode < 200 || response.statusCode > 299) {
          throw new KickstartError(
            `kickstart: requests[${index}] ${request.method} ${request.url} failed with ${response.statusCode} ${response.body.slice(0, 500)}`,
          );
        }
      }
      this.logger.log(
        `kickstart applied: ${kickstart.apiKeys.length} keys, ${kickstart.requests.length} requests`,
      );
    } catch (error) {
      // Leave no keys behind, so that a corrected file is applied on the next boot.
      for (const id of created) await this.keys.delete(id);
      throw error;
    }
  }
}
