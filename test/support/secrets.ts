import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Writable } from 'node:stream';

const SECRET_FIELDS = new Set([
  'password',
  'key',
  'secret',
  'clientSecret',
  'token',
  'refreshToken',
  'refresh_token',
  'client_secret',
  'currentPassword',
  'privateKey',
  'changePasswordId',
]);
const MIN_LENGTH = 8;

/**
 * Every secret a suite sends (Authorization values, Basic passwords, and secret fields
 * of JSON bodies), recorded as the server receives them, and every log line the
 * server writes; `leaks()` names the secrets that reached a log line.
 */
export class SecretWatch {
  private readonly secrets = new Set<string>();
  private readonly lines: string[] = [];
  private readonly responses: string[] = [];

  readonly logStream = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      this.lines.push(chunk.toString('utf8'));
      callback();
    },
  });

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
    this.secrets.add(value);
    // A PEM key reaches a JSON log line with its newlines escaped: watch each line of it.
    if (value.includes('-----BEGIN'))
      for (const line of value.split('\n'))
        if (!line.startsWith('-----') && line.trim().length >= 16) this.secrets.add(line.trim());
  }

  private fromBody(value: unknown): void {
    if (Array.isArray(value)) return value.forEach((item) => this.fromBody(item));
    if (typeof value !== 'object' || value === null) return;
    for (const [name, item] of Object.entries(value)) {
      if (SECRET_FIELDS.has(name) && typeof item === 'string') this.add(item);
      // A form body holds each field as the list of its values.
      else if (SECRET_FIELDS.has(name) && Array.isArray(item)) item.forEach((one) => this.add(one));
      else this.fromBody(item);
    }
  }

  private fromRequest(request: FastifyRequest): void {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return;
    this.add(authorization);
    const [scheme, rest] = [authorization.slice(0, 6).toLowerCase(), authorization.slice(6).trim()];
    if (scheme === 'basic ') {
      this.add(rest);
      const decoded = Buffer.from(rest, 'base64').toString('utf8');
      this.add(decoded.slice(decoded.indexOf(':') + 1));
    }
    const bearer = /^(bearer|jwt) (.+)$/i.exec(authorization);
    if (bearer) this.add(bearer[2]);
  }

  /** Installs the recorder on a Fastify instance, before its routes exist. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      this.fromRequest(request);
      done();
    });
    fastify.addHook('preHandler', (request, _reply, done) => {
      this.fromBody(request.body);
      done();
    });
    fastify.addHook('onSend', (_request, _reply, payload, done) => {
      if (typeof payload === 'string') this.responses.push(payload);
      done(null, payload);
    });
  }

  /** Every response body the server sent as text (JSON answers). */
  responseBodies(): readonly string[] {
    return this.responses;
  }

  logLines(): readonly string[] {
    return this.lines;
  }

  leaks(): string[] {
    const log = this.lines.join('');
    return [...this.secrets].filter((secret) => log.includes(secret));
  }
}
