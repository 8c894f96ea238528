// Reference point for the key path: NestJS on Fastify with one controller and a one-line
// API-key guard (a global guard comparing the Authorization header with REFERENCE_KEY), no
// logger. What any NestJS service on Fastify pays per request before doing anything itself.
import 'reflect-metadata';
import common from '@nestjs/common';
import core from '@nestjs/core';
import platform from '@nestjs/platform-fastify';

const { Controller, Get, Injectable, Module, UnauthorizedException } = common;
const { APP_GUARD, NestFactory } = core;
const { FastifyAdapter } = platform;

const key = process.env.REFERENCE_KEY;
if (!key) throw new Error('REFERENCE_KEY is not set');

class VersionController {
  version() {
    return { version: '0.0.0' };
  }
}
Get('system/version')(
  VersionController.prototype,
  'version',
  Object.getOwnPropertyDescriptor(VersionController.prototype, 'version'),
);
Controller('api')(VersionController);

class KeyGuard {
  canActivate(context) {
    if (context.switchToHttp().getRequest().headers.authorization !== key)
      throw new UnauthorizedException();
    return true;
  }
}
Injectable()(KeyGuard);

class ReferenceModule {}
Module({
  controllers: [VersionController],
  providers: [{ provide: APP_GUARD, useClass: KeyGuard }],
})(ReferenceModule);

const app = await NestFactory.create(ReferenceModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
// Goes away with the harness, as the bare Fastify baseline does.
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
