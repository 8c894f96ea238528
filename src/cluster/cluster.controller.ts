import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Authenticated } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { queryInteger } from '../common/query';
import { ClusterService } from './cluster.service';

/** Portcullis extensions for operators: the live replicas, and a propagation probe. */
@Controller('api/system/cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @Authenticated({ endpoint: '/api/system/cluster' })
  describe(): Promise<JsonObject> {
    return this.cluster.describe();
  }

  @Post('probe')
  @HttpCode(200)
  @Authenticated({ endpoint: '/api/system/cluster/probe' })
  probe(@Query('timeoutMs') timeoutMs: unknown): Promise<JsonObject> {
    return this.cluster.probe(queryInteger(timeoutMs, 'timeoutMs', 2_000, 10_000));
  }
}
