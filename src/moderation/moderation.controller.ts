import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CurrentUser, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { PageQueryDto } from '../common/pagination';
import { UsernameParams } from '../users/dto/user.dto';
import { AuditService } from './audit/audit.service';
import { ItemIdParams, QueueQueryDto, ResolveDto } from './queue/queue.dto';
import { QueueService } from './queue/queue.service';
import { CreateReportDto, ReportsService } from './reports/reports.service';
import { CreateSanctionDto, SanctionsService } from './sanctions/sanctions.service';
import { CreateWatchedWordDto, WatchedWordsService } from './watched-words/watched-words.service';

class SanctionParams extends UsernameParams {
  @Matches(/^\d{1,18}$/, { message: 'id must be a numeric id' })
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
  ) {}

  @Post('reports')
  @ApiOperation({ summary: 'Report a post, thread, comment, chat message or member' })
  report(@CurrentUser() me: Principal, @Body() body: CreateReportDto) {
    return this.reports.report(me, body);
  }

  @Roles('moderator')
  @Get('moderation/queue')
  @ApiOperation({ summary: 'The one queue: held, flagged and reported content, crisis first' })
  list(@Query() query: QueueQueryDto) {
    return this.queue.list(query);
  }

  @Roles('moderator')
  @Post('moderation/queue/:id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'approve, reject, hide, restore, delete or dismiss' })
  resolve(@CurrentUser() me: Principal, @Param() params: ItemIdParams, @Body() body: ResolveDto) {
    return this.queue.resolve(me, params.id, body.action, body.note);
  }

  @Roles('moderator')
  @Get('moderation/users/:username/sanctions')
  @ApiOperation({ summary: "A member's sanctions, past and present" })
  listSanctions(@Param() params: UsernameParams) {
    return this.sanctions.listFor(params.username);
  }

  @Roles('moderator')
  @Post('moderation/users/:username/sanctions')
  @ApiOperation({ summary: 'silence (read only), suspend (until a time) or ban; effective on the next request' })
  sanction(@CurrentUser() me: Principal, @Param() params: UsernameParams, @Body() body: CreateSanctionDto) {
    return this.sanctions.impose(me, params.username, body);
  }

  @Roles('moderator')
  @Delete('moderation/users/:username/sanctions/:id')
  @ApiOperation({ summary: 'Lift a sanction' })
  lift(@CurrentUser() me: Principal, @Param() params: SanctionParams) {
    return this.sanctions.lift(me, params.username, params.id);
  }

  @Roles('admin')
  @Get('moderation/watched-words')
  listWords() {
    return this.watchedWords.list();
  }

  @Roles('admin')
  @Post('moderation/watched-words')
  @ApiOperation({
    summary: 'block (422), hold (queue), flag (publish and queue), crisis (publish, queue first, alert)',
  })
  addWord(@CurrentUser() me: Principal, @Body() body: CreateWatchedWordDto) {
    return this.watchedWords.add(me, body);
  }

  @Roles('admin')
  @Delete('moderation/watched-words/:id')
  @HttpCode(204)
  removeWord(@CurrentUser() me: Principal, @Param() params: ItemIdParams) {
    return this.watchedWords.remove(me, params.id);
  }

  @Roles('moderator')
  @Get('moderation/audit-log')
  @ApiOperation({ summary: 'Every moderator and admin action, newest first' })
  auditLog(@Query() query: PageQueryDto) {
    return this.audit.list(query);
  }
}
