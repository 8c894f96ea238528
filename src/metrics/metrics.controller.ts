import { Controller, Get, Header } from '@nestjs/common';
import { Authenticated } from '../auth/route-policy.decorator';
import { Metrics } from './metrics.service';

@Controller('api/prometheus/metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Authenticated({ endpoint: '/api/prometheus/metrics', basic: true, loopback: true })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
