import { FieldErrors } from '../common/api-error';
import { Fields, IgnoredType, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { likePattern, Paging, readPaging } from '../common/search';
import { Algorithm, ALGORITHM_NAMES, KEY_TYPES, KeyType } from './signing-key.algorithms';
import { certificateInformation } from './signing-key.certificate';
import type { ImportInput } from './signing-key.material';
import type { SigningKeyEntity } from './signing-key.entity';

const NAME = { max: 191, singleLine: true } as const;
/** Enough for a 4096-bit RSA private key in PEM, with room for a certificate chain's first link. */
const PEM = { max: 16_384 } as const;

/**
 * What a key read back from the API carries beyond what a request sets: typed, then
 * ignored, so a retrieved key can be sent back (to rename it, say).
 */
const READ_BACK: Readonly<Record<string, IgnoredType>> = {
  ...SERVER_SET,
  certificateInformation: 'object',
  expirationInstant: 'long',
  hasPrivateKey: 'boolean',
};

/** Half of a UTF-16 surrogate pair, alone: text no certificate can hold. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A certificate's issuer: blank means the default; text that cannot be encoded is refused. */
function readIssuer(key: Fields): string | null {
  const issuer = key.string('issuer', { max: 255, singleLine: true });
  if (issuer !== null && LONE_SURROGATE.test(issuer))
    key.errors.add('invalid', 'key.issuer', 'The [key.issuer] is not well-formed Unicode text.');
  return issuer === null || issuer.trim() === '' ? null : issuer;
}

export interface GenerateInput {
  name: string;
  algorithm: Algorithm;
  length: number | null;
  issuer: string | null;
}

function readName(key: Fields): string {
  return key.requiredString('name', NAME) ?? '';
}

/** Reads `{"key": {...}}` for `POST /api/key/generate`. */
export function readGenerateRequest(body: unknown): GenerateInput {
  const errors = new FieldErrors();
  const { inner: key } = Fields.root(body, 'key', errors);
  const name = readName(key);
  const algorithm = key.choice('algorithm', ALGORITHM_NAMES) as Algorithm | null;
  if (algorithm === null && !errors.has('key.algorithm')) errors.add('blank', 'key.algorithm');
  const input: GenerateInput = {
    name,
    algorithm: algorithm ?? 'HS256',
    length: key.long('length'),
    issuer: readIssuer(key),
  };
  key.typeCheck({
    ...READ_BACK,
    kid: 'string',
    type: 'string',
    publicKey: 'string',
    privateKey: 'string',
    secret: 'string',
    certificate: 'string',
  });
  errors.throwIfAny();
  return input;
}

export interface ImportRequest extends ImportInput {
  name: string;
}

/** Reads `{"key": {...}}` for `POST /api/key/import`; the material is judged by `importMaterial`. */
export function readImportRequest(body: unknown): ImportRequest {
  const errors = new FieldErrors();
  const { inner: key } = Fields.root(body, 'key', errors);
  const input: ImportRequest = {
    name: readName(key),
    algorithm: key.choice('algorithm', ALGORITHM_NAMES) as Algorithm | null,
    type: key.choice('type', KEY_TYPES) as KeyType | null,
    kid: key.string('kid', NAME),
    publicKey: key.string('publicKey', PEM),
    privateKey: key.string('privateKey', PEM),
    certificate: key.string('certificate', PEM),
    secret: key.string('secret', { max: 1024 }),
  };
  if (input.kid !== null && input.kid.trim() === '') errors.add('blank', 'key.kid');
  key.typeCheck({ ...READ_BACK, length: 'long', issuer: 'string' });
  errors.throwIfAny();
  return input;
}

/**
 * Reads `{"key": {...}}` for `PUT /api/key/{keyId}`. Only the name changes (FusionAuth:
 * "all other fields will remain the same"); the rest of a retrieved key is ignored.
 */
export function readRenameRequest(body: unknown): string {
  const errors = new FieldErrors();
  const { inner: key } = Fields.root(body, 'key', errors);
  const name = readName(key);
  key.typeCheck({
    ...READ_BACK,
    algorithm: 'string',
    type: 'string',
    kid: 'string',
    length: 'long',
    issuer: 'string',
    publicKey: 'string',
    privateKey: 'string',
    secret: 'string',
    certificate: 'string',
  });
  errors.throwIfAny();
  return name;
}

const ORDER_FIELDS = ['algorithm', 'expiration', 'id', 'insertInstant', 'name', 'type'] as const;

export interface KeySearch extends Paging {
  name: string | null;
  algorithm: Algorithm | null;
  type: KeyType | null;
  orderBy: { field: (typeof ORDER_FIELDS)[number]; direction: 'ASC' | 'DESC' };
}

/** `orderBy` as FusionAuth writes it: `<field>[ ASC|DESC]`, `name ASC` by default. */
function readOrderBy(source: Fields): KeySearch['orderBy'] {
  const text = source.string('orderBy', { max: 64 });
  if (text === null) return { field: 'name', direction: 'ASC' };
  const [field, direction = 'ASC', ...rest] = text.trim().split(/\s+/);
  const upper = direction.toUpperCase();
  if (
    (ORDER_FIELDS as readonly string[]).includes(field) &&
    (upper === 'ASC' || upper === 'DESC') &&
    rest.length === 0
  )
    return { field: field as KeySearch['orderBy']['field'], direction: upper };
  source.errors.add(
    'invalid',
    source.name('orderBy'),
    `The [${source.name('orderBy')}] must be one of ${ORDER_FIELDS.join(', ')}, then ASC or DESC.`,
  );
  return { field: 'name', direction: 'ASC' };
}

/** A key search, from a query string or a `search` object. */
export function readKeySearch(source: Fields): KeySearch {
  const search: KeySearch = {
    name: likePattern(source.string('name', NAME)),
    algorithm: source.choice('algorithm', ALGORITHM_NAMES) as Algorithm | null,
    type: source.choice('type', KEY_TYPES) as KeyType | null,
    orderBy: readOrderBy(source),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}

/**
 * The one place a key becomes JSON. It has no field for the private key or the secret:
 * FusionAuth returns neither, and says whether it holds a private key instead.
 */
export function keyToJson(entity: SigningKeyEntity): JsonObject {
  const asymmetric = entity.type !== 'HMAC';
  return omitNulls({
    id: entity.id,
    name: entity.name,
    algorithm: entity.algorithm,
    type: entity.type,
    kid: entity.kid,
    certificate: entity.certificate,
    certificateInformation:
      entity.certificate === null ? null : certificateInformation(entity.certificate),
    expirationInstant: entity.expirationInstant,
    hasPrivateKey: asymmetric ? entity.privateKey !== null : null,
    issuer: entity.issuer,
    length: entity.length,
    publicKey: entity.publicKey,
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
  });
}
