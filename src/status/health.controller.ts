import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/route-policy.decorator';
import { StatusService } from './status.service';

/** Health as FusionAuth reports it: 200 when the database answers, 500 otherwise; no body. */
@Controller('api/health')
export class HealthController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @Public()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (!(await this.status.health()).database.healthy) reply.code(500);
  }
}
