import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { Fields, JsonObject } from '../common/fields';
import { pathId, queryFields } from '../common/query';
import { readPaging } from '../common/search';
import { GroupMemberService, MemberSearch } from './group-member.service';

const MEMBER = { endpoint: '/api/group/member' } as const;
const SEARCH = { endpoint: '/api/group/member/search' } as const;

function searchFrom(source: Fields): MemberSearch {
  const search: MemberSearch = {
    groupId: source.uuid('groupId'),
    userId: source.uuid('userId'),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}

@Controller('api/group/member')
export class GroupMemberController {
  constructor(private readonly members: GroupMemberService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(MEMBER)
  add(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.members.write(caller, body, false);
  }

  /** Replaces every member of the groups named. */
  @Put()
  @Authenticated(MEMBER)
  replace(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.members.write(caller, body, true);
  }

  /** `?groupId=&userId=`, else a JSON body of member ids or of users by group. */
  @Delete()
  @Authenticated(MEMBER)
  delete(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
  ): Promise<void> {
    const pair = queryFields(query);
    if (!pair.has('groupId') && !pair.has('userId')) return this.members.deleteByBody(caller, body);
    const groupId = pair.uuid('groupId');
    const userId = pair.uuid('userId');
    if (!pair.has('groupId')) pair.errors.add('missing', 'groupId');
    if (!pair.has('userId')) pair.errors.add('missing', 'userId');
    pair.errors.throwIfAny();
    return this.members.deleteByUser(caller, groupId!, userId!);
  }

  @Delete(':memberId')
  @Authenticated(MEMBER)
  deleteById(@CurrentCaller() caller: Caller, @Param('memberId') id: string): Promise<void> {
    return this.members.deleteById(caller, pathId(id, 'memberId'));
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.members.search(caller, searchFrom(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.members.search(caller, searchFrom(Fields.root(body, 'search').inner));
  }
}
