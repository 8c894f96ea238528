import { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger } from 'fastify';
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
