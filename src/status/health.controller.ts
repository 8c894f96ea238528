import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/route-policy.decorator';
import { Readiness } from './readiness';
import { StatusService } from './status.service';

/**
 * Health as FusionAuth reports it: 200 when the database answers, 500 otherwise; no body.
 * A replica that is shutting down answers 503 ("not ready") while it drains: load balancer
 * health checks and Kubernetes' readiness probe both read this.
 */
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly status: StatusService,
    private readonly readiness: Readiness,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (this.readiness.draining) reply.code(503);
    else if (!(await this.status.health()).database.healthy) reply.code(500);
  }
}
