import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { Direct } from '../common/direct-route';
import { VERSION } from '../common/version';
import { StatusService } from './status.service';

/** The version answer never changes while the process runs: serialised once. */
const VERSION_ANSWER = JSON.stringify({ version: VERSION });

@Controller('api')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /**
   * Without credentials, one value and a status code that tells health; with a key
   * holding GET /api/status (raw or Basic), or through the loopback bypass, the detail.
   */
  @Get('status')
  @Authenticated({ endpoint: '/api/status', basic: true, loopback: true, optional: true })
  async retrieve(
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject> {
    const health = await this.status.health();
    reply.code(health.status);
    if (caller.principal.kind === 'anonymous')
      return { status: health.status === 200 ? 'ok' : 'unhealthy' };
    return this.status.detail(health);
  }

  @Get('system/version')
  @Authenticated({ endpoint: '/api/system/version', basic: true })
  @Direct()
  version(): string {
    return VERSION_ANSWER;
  }
}
