import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiCreated, ApiErrors, ApiOk } from '../../common/openapi/api-responses';
import { ItemIdParams } from '../queue/queue.dto';
import { ReachOutDto, ReachOutResultDto } from './reach-out.dto';
import { ReachOutService } from './reach-out.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller()
export class ReachOutController {
  constructor(private readonly reach: ReachOutService) {}

  @Roles('moderator')
  @Post('moderation/queue/:id/reach-out')
  @ApiOperation({
    operationId: 'reachOut',
    summary:
      'From a crisis or self-harm item, open a care conversation with its author, from the moderation team: ' +
      '201 opened, 200 the one already opened from this item',
  })
  @ApiCreated(ReachOutResultDto)
  @ApiOk(ReachOutResultDto, 'The care conversation already opened from this item (message null)')
  @ApiErrors([404, 409], {
    409: 'Not a crisis or self-harm item, written by a guest with no account, or another moderator reached out',
  })
  async reachOut(
    @CurrentUser() me: Principal,
    @Param() params: ItemIdParams,
    @Body() body: ReachOutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, ...result } = await this.reach.reachOut(me, params.id, body.body);
    void reply.status(created ? 201 : 200);
    return result;
  }
}
