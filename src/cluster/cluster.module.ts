import { Module } from '@nestjs/common';
import { StatusModule } from '../status/status.module';
import { ClusterController } from './cluster.controller';
import { ClusterService } from './cluster.service';

@Module({ imports: [StatusModule], controllers: [ClusterController], providers: [ClusterService] })
export class ClusterModule {}
