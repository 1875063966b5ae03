import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors, ApiNoContent, ApiPaged } from '../common/openapi/api-responses';
import { PageQueryDto } from '../common/pagination';
import { ConfirmSubscriptionDto, SubscribeDto, SubscribedDto, SubscriptionDto, SubscriptionIdParams } from './dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@Controller()
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Public()
  @Post('subscriptions')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'subscribe',
    summary:
      'Get email updates about an article, a category, a thread or new articles: a confirmation link goes to the ' +
      'address (guests give `email`; members use their account, subscribed at once when it is confirmed)',
  })
  @ApiAcceptedResponse({
    type: SubscribedDto,
    description: 'The same answer whether or not the address was subscribed',
  })
  @ApiErrors([400])
  subscribe(@Body() body: SubscribeDto, @CurrentUser() viewer?: Principal) {
    return this.subscriptions.subscribe(viewer, body);
  }

  @Public()
  @Post('subscriptions/confirm')
  @HttpCode(204)
  @ApiOperation({ operationId: 'confirmSubscription', summary: 'Confirm a subscription with the token from its link' })
  @ApiNoContent()
  @ApiErrors([400], { 400: 'token is not valid (used, expired or unknown)' })
  confirm(@Body() body: ConfirmSubscriptionDto) {
    return this.subscriptions.confirm(body.token);
  }

  @ApiBearerAuth()
  @Get('me/subscriptions')
  @ApiOperation({ operationId: 'listMySubscriptions', summary: 'Her subscriptions, newest first; paged' })
  @ApiPaged(SubscriptionDto)
  list(@CurrentUser() me: Principal, @Query() query: PageQueryDto) {
    return this.subscriptions.listMine(me, query);
  }

  @ApiBearerAuth()
  @Delete('me/subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'endMySubscription', summary: 'End one of her subscriptions' })
  @ApiNoContent()
  @ApiErrors([404])
  remove(@CurrentUser() me: Principal, @Param() params: SubscriptionIdParams) {
    return this.subscriptions.removeMine(me, params.id);
  }
}
