import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricSamplers } from './metrics.samplers';
import { Metrics } from './metrics.service';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, MetricSamplers],
  exports: [Metrics],
})
export class MetricsModule {}
