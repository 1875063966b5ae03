import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiCreatedOrPending, ApiErrors, ApiNoContent, ApiOk, ApiPaged } from '../common/openapi/api-responses';
import { IdParams } from '../common/validation/params';
import {
  ConversationHistoryQueryDto,
  ConversationListQueryDto,
  ConversationSettingsDto,
  ReadConversationDto,
  SendConversationMessageDto,
  StartConversationDto,
} from './dto/conversation.dto';
import {
  ConversationDto,
  ConversationMessagePageDto,
  ConversationSettingsViewDto,
  ConversationSummaryDto,
  SentConversationMessageDto,
  StartedConversationDto,
} from './dto/conversation-responses.dto';
import { ConversationsService } from './conversations.service';

/** Private conversations over HTTP: one service call a route; every rule is the service's. */
@ApiTags('conversations')
@ApiBearerAuth()
@Controller()
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get('conversations')
  @ApiOperation({
    operationId: 'listConversations',
    summary: 'Your conversations, latest activity first, each with its unread count; paged',
  })
  @ApiPaged(ConversationSummaryDto)
  @ApiErrors([400])
  list(@CurrentUser() me: Principal, @Query() query: ConversationListQueryDto) {
    return this.conversations.list(me, query);
  }

  @Post('conversations')
  @ApiOperation({
    operationId: 'startConversation',
    summary: 'Start a conversation (up to 8 with you) with its first message: 201, or 202 while the message is held',
  })
  @ApiCreatedOrPending(StartedConversationDto)
  @ApiErrors([400, 403, 422, 429], {
    403: 'A member does not take conversations from you, a block, you may not start conversations yet, or a sanction',
    429: 'You started the most conversations for one day',
  })
  async start(
    @CurrentUser() me: Principal,
    @Body() body: StartConversationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const started = await this.conversations.start(me, body);
    void reply.status(started.status === 'pending' ? 202 : 201);
    return started;
  }

  @Get('conversations/:id')
  @ApiOperation({ operationId: 'getConversation', summary: 'One conversation you are in' })
  @ApiOk(ConversationDto)
  @ApiErrors([404])
  get(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.conversations.get(me, params.id);
  }

  @Get('conversations/:id/messages')
  @ApiOperation({
    operationId: 'listConversationMessages',
    summary: 'History, oldest first: the latest, ?before=<id> (older) or ?after=<id> (newer, to catch up); paged',
  })
  @ApiOk(ConversationMessagePageDto)
  @ApiErrors([400, 404])
  history(@CurrentUser() me: Principal, @Param() params: IdParams, @Query() query: ConversationHistoryQueryDto) {
    return this.conversations.history(me, params.id, query);
  }

  @Post('conversations/:id/messages')
  @ApiOperation({
    operationId: 'sendConversationMessage',
    summary: 'Send a message: 201, or 202 while it is held; the same clientId gives the same message',
  })
  @ApiCreatedOrPending(SentConversationMessageDto)
  @ApiErrors([400, 403, 404, 422])
  async send(
    @CurrentUser() me: Principal,
    @Param() params: IdParams,
    @Body() body: SendConversationMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const sent = await this.conversations.send(me, params.id, body);
    void reply.status(sent.status === 'pending' ? 202 : 201);
    return { ...sent.message, ...(sent.notice ? { notice: sent.notice } : {}) };
  }

  @Post('conversations/:id/read')
  @HttpCode(204)
  @ApiOperation({ operationId: 'markConversationRead', summary: 'Mark the messages up to upToId as read' })
  @ApiNoContent()
  @ApiErrors([400, 403, 404])
  async read(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: ReadConversationDto) {
    await this.conversations.markRead(me, params.id, body.upToId);
  }

  @Delete('conversations/:id/participants/me')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'leaveConversation',
    summary: 'Leave a conversation: no more of its messages reach you',
  })
  @ApiNoContent()
  @ApiErrors([404])
  async leave(@CurrentUser() me: Principal, @Param() params: IdParams) {
    await this.conversations.leave(me, params.id);
  }

  @Get('me/conversation-settings')
  @ApiOperation({ operationId: 'getConversationSettings', summary: 'Who may start a conversation with you' })
  @ApiOk(ConversationSettingsViewDto)
  settings(@CurrentUser() me: Principal) {
    return this.conversations.settings(me.id);
  }

  @Patch('me/conversation-settings')
  @ApiOperation({
    operationId: 'updateConversationSettings',
    summary: 'Choose who may start a conversation with you: everyone, members you have talked with, or nobody',
  })
  @ApiOk(ConversationSettingsViewDto)
  @ApiErrors([400])
  updateSettings(@CurrentUser() me: Principal, @Body() body: ConversationSettingsDto) {
    return this.conversations.updateSettings(me.id, body);
  }
}
