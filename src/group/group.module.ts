import { Global, Module } from '@nestjs/common';
import { GroupMemberController } from './group-member.controller';
import { GroupMemberService } from './group-member.service';
import { GroupController } from './group.controller';
import { GroupRepository } from './group.repository';
import { GroupService } from './group.service';

@Global()
@Module({
  controllers: [GroupController, GroupMemberController],
  providers: [GroupRepository, GroupService, GroupMemberService],
  exports: [GroupRepository, GroupService, GroupMemberService],
})
export class GroupModule {}
