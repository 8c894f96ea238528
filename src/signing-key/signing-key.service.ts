import { Injectable } from '@nestjs/common';
import { ApplicationRepository } from '../application/application.repository';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { isObject, JsonObject, requireWrapper } from '../common/fields';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { EntityTypeRepository } from '../entity/entity-type.repository';
import { ChangeHub } from '../key-cache/change.hub';
import { DEFAULT_TENANT_CONFIGURATION } from '../tenant/tenant.dto';
import { TenantRepository } from '../tenant/tenant.repository';
import { RSA_LENGTHS, specOf } from './signing-key.algorithms';
import {
  GenerateInput,
  KeySearch,
  keyToJson,
  readGenerateRequest,
  readImportRequest,
  readRenameRequest,
} from './signing-key.dto';
import { SigningKeyEntity } from './signing-key.entity';
import {
  importMaterial,
  KeyMaterial,
  newHmacMaterial,
  newPairMaterial,
} from './signing-key.material';
import { SigningKeyRepository } from './signing-key.repository';

const REFERENCES = ['accessTokenKeyId', 'idTokenKeyId'] as const;

/**
 * JWT signing keys: generated here or imported, then only renamed or deleted. Keys are
 * global (the endpoints are global-only). Private keys and secrets stay inside.
 */
@Injectable()
export class SigningKeyService {
  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly tenants: TenantRepository,
    private readonly applications: ApplicationRepository,
    private readonly entityTypes: EntityTypeRepository,
    private readonly hub: ChangeHub,
  ) {}

  private async existing(id: string): Promise<SigningKeyEntity> {
    const entity = await this.keys.getById(id);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  async retrieve(id: string): Promise<JsonObject> {
    return { key: keyToJson(await this.existing(id)) };
  }

  async list(): Promise<JsonObject> {
    return { keys: (await this.keys.all()).map(keyToJson) };
  }

  async search(criteria: KeySearch): Promise<JsonObject> {
    const page = await this.keys.search(criteria);
    return { keys: page.rows.map(keyToJson), total: page.total };
  }

  async generate(id: string | null, body: unknown): Promise<JsonObject> {
    const input = readGenerateRequest(body);
    const length = this.lengthFor(input);
    const keyId = id ?? newId();
    await this.checkFree(id, input.name, null);
    const spec = specOf(input.algorithm);
    const material =
      spec.type === 'HMAC'
        ? newHmacMaterial(input.algorithm)
        : await newPairMaterial(
            input.algorithm,
            length!,
            input.issuer ?? (await this.defaultIssuer()),
            keyId,
          );
    return { key: keyToJson(await this.insert(keyId, input.name, material)) };
  }

  /** RSA needs one of FusionAuth's sizes; EC's is its curve's; HMAC and Ed25519 have none to choose. */
  private lengthFor({ algorithm, length }: GenerateInput): number | null {
    const spec = specOf(algorithm);
    if (spec.type === 'RSA') {
      if (length === null) throw ApiError.field('blank', 'key.length');
      if ((RSA_LENGTHS as readonly number[]).includes(length)) return length;
      throw ApiError.field('invalid', 'key.length', 'An RSA key is 2048, 3072 or 4096 bits long.');
    }
    if (spec.type === 'EC' && length !== null && length !== spec.length) {
      throw ApiError.field(
        'invalid',
        'key.length',
        `An ${algorithm} key is ${spec.length} bits long (its curve, ${spec.curve}).`,
      );
    }
    return spec.length ?? null;
  }

  /** FusionAuth's default: the Default tenant's issuer. */
  private async defaultIssuer(): Promise<string> {
    return (
      (await this.tenants.getDefault())?.configuration.issuer ?? DEFAULT_TENANT_CONFIGURATION.issuer
    );
  }

  async import(id: string | null, body: unknown): Promise<JsonObject> {
    const input = readImportRequest(body);
    const errors = new FieldErrors();
    const material = importMaterial(input, errors);
    errors.throwIfAny();
    await this.checkFree(id, input.name, material!.kid);
    return { key: keyToJson(await this.insert(id ?? newId(), input.name, material!)) };
  }

  async rename(id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'key');
    const name = readRenameRequest(body);
    const entity = await this.existing(id);
    const holder = await this.keys.findByName(name);
    if (holder !== null && holder.id !== id) throw ApiError.field('duplicate', 'key.name');
    const lastUpdateInstant = Date.now();
    await this.write(() => this.keys.rename(id, name, lastUpdateInstant));
    return { key: keyToJson({ ...entity, name, lastUpdateInstant }) };
  }

  /** FusionAuth refuses to delete a key that a tenant, an application or an entity type signs with. */
  async delete(id: string): Promise<void> {
    await this.existing(id);
    const users = await this.usersOf(id);
    if (users.length > 0) {
      throw ApiError.field(
        'invalid',
        'keyId',
        `The key is in use by ${users.join(', ')}. Name another key there before deleting it.`,
      );
    }
    await this.remove(id);
  }

  /**
   * Announced even when the delete fails: one that timed out may have committed, and a
   * deleted key must stop verifying everywhere (an announcement only makes replicas read).
   */
  private async remove(id: string): Promise<void> {
    try {
      await this.keys.delete(id);
    } finally {
      await this.hub.announce({ type: 'signingKey.changed', keyId: id });
    }
  }

  /** Who names the key in a `jwtConfiguration`, e.g. `tenant [id] (accessTokenKeyId)`. */
  private async usersOf(id: string): Promise<string[]> {
    const holders = [
      ...(await this.tenants.mentioning(id)).map((tenant) => ({
        kind: 'tenant',
        id: tenant.id,
        jwt: tenant.configuration.jwtConfiguration,
      })),
      ...(await this.applications.mentioning(id)).map((application) => ({
        kind: 'application',
        id: application.id,
        jwt: application.configuration.jwtConfiguration,
      })),
    ];
    const types = (await this.entityTypes.mentioning(id)).map(
      (type) => `entity type [${type.id}] (accessTokenKeyId)`,
    );
    return [
      ...holders.flatMap(({ kind, id: holderId, jwt }) =>
        REFERENCES.filter((property) => isObject(jwt) && jwt[property] === id).map(
          (property) => `${kind} [${holderId}] (${property})`,
        ),
      ),
      ...types,
    ];
  }

  /**
   * A new tenant's access-token key: HS256, as FusionAuth's default signing key. The
   * Default tenant's keeps FusionAuth's name; others are named after their tenant's id,
   * which no other key can already hold unless a caller chose it.
   */
  async createTenantKey(tenantId: string, isDefault: boolean): Promise<string> {
    const id = newId();
    const base = isDefault ? 'Default signing key' : `Default signing key for tenant ${tenantId}`;
    const name = (await this.keys.findByName(base)) === null ? base : `${base} (${id})`;
    await this.insert(id, name, newHmacMaterial('HS256'));
    return id;
  }

  /** Undoes `createTenantKey` when the tenant it was made for could not be stored. */
  async discardTenantKey(id: string): Promise<void> {
    await this.remove(id);
  }

  private async checkFree(id: string | null, name: string, kid: string | null): Promise<void> {
    if (id !== null && (await this.keys.getById(id)) !== null)
      throw ApiError.field('duplicate', 'keyId');
    if ((await this.keys.findByName(name)) !== null) throw ApiError.field('duplicate', 'key.name');
    if (kid !== null && (await this.keys.findByKid(kid)) !== null)
      throw ApiError.field('duplicate', 'key.kid');
  }

  private async insert(id: string, name: string, material: KeyMaterial): Promise<SigningKeyEntity> {
    const now = Date.now();
    const entity: SigningKeyEntity = {
      id,
      name,
      ...material,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    await this.write(() => this.keys.insert(entity), entity);
    await this.hub.announce({ type: 'signingKey.changed', keyId: id });
    return entity;
  }

  /** A write that lost a uniqueness race to another replica reads as the duplicate it is. */
  private async write(work: () => Promise<void>, entity?: SigningKeyEntity): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (entity !== undefined) await this.checkFree(entity.id, entity.name, entity.kid);
      throw ApiError.field('duplicate', 'key.name');
    }
  }
}
