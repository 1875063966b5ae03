import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NumericId } from '../common/validation/decorators';
import { CurrentUser, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiCreated, ApiErrors, ApiNoContent, ApiOk, ApiPaged } from '../common/openapi/api-responses';
import { PageQueryDto } from '../common/pagination';
import { UsernameParams } from '../users/dto/user.dto';
import { AuditService } from './audit/audit.service';
import { ItemIdParams, QueueQueryDto, ResolveDto } from './queue/queue.dto';
import { ReportedContext } from './queue/reported-context';
import { ReachOutSettingsDto, StarterTextDto } from './reach-out/reach-out.dto';
import { ReachOutSettingsService } from './reach-out/reach-out-settings.service';
import { QueueService } from './queue/queue.service';
import { CreateReportDto, ReportsService } from './reports/reports.service';
import { CreateSanctionDto, SanctionsService } from './sanctions/sanctions.service';
import { CreateWatchedWordDto, WatchedWordsService } from './watched-words/watched-words.service';
import {
  AuditEntryDto,
  QueueItemDto,
  ReportCreatedDto,
  ReportedContextDto,
  SanctionDto,
  WatchedWordDto,
} from './dto/moderation-responses.dto';

class SanctionParams extends UsernameParams {
  @NumericId()
  id!: string;
}

@ApiTags('moderation')
@ApiBearerAuth()
@Controller()
export class ModerationController {
  constructor(
    private readonly reports: ReportsService,
    private readonly queue: QueueService,
    private readonly sanctions: SanctionsService,
    private readonly watchedWords: WatchedWordsService,
    private readonly audit: AuditService,
    private readonly reportedContext: ReportedContext,
    private readonly reachSettings: ReachOutSettingsService,
  ) {}

  @Post('reports')
  @ApiOperation({
    operationId: 'createReport',
    summary: 'Report a post, thread, comment, chat message, private message or member',
  })
  @ApiCreated(ReportCreatedDto)
  @ApiErrors([404, 409], { 409: 'You already have an open report on this' })
  report(@CurrentUser() me: Principal, @Body() body: CreateReportDto) {
    return this.reports.report(me, body);
  }

  @Roles('moderator')
  @Get('moderation/queue')
  @ApiOperation({
    operationId: 'listModerationQueue',
    summary: 'The one queue: held, flagged and reported content, crisis first',
  })
  @ApiPaged(QueueItemDto, 'One page of the queue: crisis first, then held, then reported')
  list(@Query() query: QueueQueryDto) {
    return this.queue.list(query);
  }

  @Roles('moderator')
  @Post('moderation/queue/:id/resolve')
  @HttpCode(200)
  @ApiOperation({ operationId: 'resolveQueueItem', summary: 'approve, reject, hide, restore, delete or dismiss' })
  @ApiOk(QueueItemDto, 'The entry, resolved')
  @ApiErrors([404, 409], { 409: 'Already resolved' })
  resolve(@CurrentUser() me: Principal, @Param() params: ItemIdParams, @Body() body: ResolveDto) {
    return this.queue.resolve(me, params.id, body.action, body.note);
  }

  @Roles('moderator')
  @Get('moderation/queue/:id/context')
  @ApiOperation({
    operationId: 'openReportedContext',
    summary: 'The few messages around a reported private message; each opening is written to the audit log',
  })
  @ApiOk(ReportedContextDto)
  @ApiErrors([404], { 404: 'No such item, or an item that is not a private message' })
  context(@CurrentUser() me: Principal, @Param() params: ItemIdParams) {
    return this.reportedContext.open(me, params.id);
  }

  @Roles('moderator')
  @Get('moderation/reach-out-settings')
  @ApiOperation({ operationId: 'getReachOutSettings', summary: 'The starter text of care conversations' })
  @ApiOk(ReachOutSettingsDto)
  reachOutSettings() {
    return this.reachSettings.get();
  }

  @Roles('admin')
  @Put('moderation/reach-out-settings')
  @ApiOperation({ operationId: 'setReachOutSettings', summary: 'Set the starter text of care conversations (admin)' })
  @ApiOk(ReachOutSettingsDto)
  setReachOutSettings(@CurrentUser() me: Principal, @Body() body: StarterTextDto) {
    return this.reachSettings.update(me, body.starterText);
  }

  @Roles('moderator')
  @Get('moderation/users/:username/sanctions')
  @ApiOperation({ operationId: 'listSanctions', summary: "A member's sanctions, past and present" })
  @ApiOk([SanctionDto])
  @ApiErrors([404])
  listSanctions(@Param() params: UsernameParams) {
    return this.sanctions.listFor(params.username);
  }

  @Roles('moderator')
  @Post('moderation/users/:username/sanctions')
  @ApiOperation({
    operationId: 'imposeSanction',
    summary: 'silence (read only), suspend (until a time) or ban; effective on the next request',
  })
  @ApiCreated(SanctionDto)
  @ApiErrors([404])
  sanction(@CurrentUser() me: Principal, @Param() params: UsernameParams, @Body() body: CreateSanctionDto) {
    return this.sanctions.impose(me, params.username, body);
  }

  @Roles('moderator')
  @Delete('moderation/users/:username/sanctions/:id')
  @ApiOperation({ operationId: 'liftSanction', summary: 'Lift a sanction' })
  @ApiOk(SanctionDto, 'The sanction, lifted')
  @ApiErrors([404])
  lift(@CurrentUser() me: Principal, @Param() params: SanctionParams) {
    return this.sanctions.lift(me, params.username, params.id);
  }

  @Roles('admin')
  @Get('moderation/watched-words')
  @ApiOperation({ operationId: 'listWatchedWords', summary: 'Every watched word and its action (admin)' })
  @ApiOk([WatchedWordDto])
  listWords() {
    return this.watchedWords.list();
  }

  @Roles('admin')
  @Post('moderation/watched-words')
  @ApiOperation({
    operationId: 'addWatchedWord',
    summary: 'block (422), hold (queue), flag (publish and queue), crisis (publish, queue first, alert)',
  })
  @ApiCreated(WatchedWordDto)
  @ApiErrors([409], { 409: 'That word is already watched' })
  addWord(@CurrentUser() me: Principal, @Body() body: CreateWatchedWordDto) {
    return this.watchedWords.add(me, body);
  }

  @Roles('admin')
  @Delete('moderation/watched-words/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeWatchedWord', summary: 'Stop watching a word (admin)' })
  @ApiNoContent()
  @ApiErrors([404])
  removeWord(@CurrentUser() me: Principal, @Param() params: ItemIdParams) {
    return this.watchedWords.remove(me, params.id);
  }

  @Roles('moderator')
  @Get('moderation/audit-log')
  @ApiOperation({ operationId: 'listAuditLog', summary: 'Every moderator and admin action, newest first' })
  @ApiPaged(AuditEntryDto)
  auditLog(@Query() query: PageQueryDto) {
    return this.audit.list(query);
  }
}
