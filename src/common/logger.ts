import { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger';
import { LogLevel } from '../config/config.schema';

/** Headers and fields that never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-fusionauth-tenantid"]',
  'req.headers["proxy-authorization"]',
  '*.password',
  '*.*.password',
  '*.*.*.password',
  '*.key',
  '*.*.key',
];

export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): object {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}

/** Start-up chatter (every module and route) is debug, not info. */
const QUIET_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Nest's own messages, through the same structured logger as requests. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: FastifyBaseLogger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && QUIET_CONTEXTS.has(context))
      this.pino.debug({ context }, String(message));
    else this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}

/** pino's numbers for its levels: a method logs when its number reaches the logger's. */
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

type MakeChild = (bindings: Bindings, options: ChildLoggerOptions) => FastifyBaseLogger;

/**
 * The logger of one request, made when the request first logs something its level lets
 * through. Fastify asks for a child logger (the request id bound) on every request; pino
 * builds one, redaction included, which costs more than judging an API key, and most
 * requests never log.
 */
export class DeferredChildLogger {
  private instance: FastifyBaseLogger | undefined;

  // Only stores its arguments: the level is read when something is logged, which most
  // requests never do.
  constructor(
    private readonly parent: Pick<FastifyBaseLogger, 'level'>,
    private readonly make: MakeChild,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    // Fastify passes `level: ''` for a route that sets none: the parent's level then.
    return this.instance?.level ?? (this.options.level || this.parent.level);
  }

  set level(level: string) {
    this.made().level = level;
  }

  // Methods, not arrow-function fields: nothing is allocated per request beyond the object.
  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }

  private log(method: LogMethod, args: unknown[]): void {
    if (
      this.instance === undefined &&
      LEVEL_VALUES[method] < (LEVEL_VALUES[this.level] ?? LEVEL_VALUES.info)
    )
      return;
    const logger = this.made();
    Reflect.apply(logger[method], logger, args);
  }

  private made(): FastifyBaseLogger {
    return (this.instance ??= this.make(this.bindings, this.options));
  }
}

/**
 * Makes every child of `root` a deferred one. Fastify asks its root logger for a request's
 * logger through its own default factory; a custom `childLoggerFactory` would instead have
 * Fastify check the shape of the logger it returns on every request.
 */
export function deferChildLoggers(root: FastifyBaseLogger): void {
  const make: MakeChild = root.child.bind(root);
  root.child = (bindings, options = {}) => new DeferredChildLogger(root, make, bindings, options);
}
