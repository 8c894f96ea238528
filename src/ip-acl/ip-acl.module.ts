import { Global, Module } from '@nestjs/common';
import { IpAclController } from './ip-acl.controller';
import { IpAclDirectory } from './ip-acl.directory';
import { IpAclRepository } from './ip-acl.repository';
import { IpAclService } from './ip-acl.service';

/** Global: the authenticator reads the directory, the API Key API checks list ids. */
@Global()
@Module({
  controllers: [IpAclController],
  providers: [IpAclRepository, IpAclDirectory, IpAclService],
  exports: [IpAclRepository, IpAclDirectory],
})
export class IpAclModule {}
