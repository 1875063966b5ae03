import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { IdParams } from '../common/validation/params';
import {
  DayParams,
  EntryInputDto,
  RangeQueryDto,
  SettingsPatchDto,
  ShareInputDto,
  TokenParams,
} from './dto/journal.dto';
import { journalCsv } from './journal-csv';
import { JournalService } from './journal.service';

/**
 * The member's own symptom journal, under /api/journal: every route but the share link is hers alone (401 for
 * guests; there is no staff route). Answers are never cached by a shared cache.
 */
@ApiTags('journal')
@ApiBearerAuth()
@Controller('journal')
export class JournalController {
  constructor(private readonly journal: JournalService) {}

  @Get('entries')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'listJournalEntries', summary: 'Your journal days in a period, newest first' })
  entries(@CurrentUser() me: Principal, @Query() query: RangeQueryDto) {
    return this.journal.entries(me.id, query);
  }

  @Get('entries/:date')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'getJournalEntry', summary: 'One day of your journal (404: nothing written that day)' })
  entry(@CurrentUser() me: Principal, @Param() params: DayParams) {
    return this.journal.requireEntry(me.id, params.date);
  }

  @Put('entries/:date')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'putJournalEntry',
    summary: 'Write a day of your journal (201 new, 200 replaced); says when to call your care team',
  })
  async put(
    @CurrentUser() me: Principal,
    @Param() params: DayParams,
    @Body() body: EntryInputDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.journal.put(me.id, params.date, body);
    void reply.status(result.created ? 201 : 200);
    return result;
  }

  @Delete('entries/:date')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteJournalEntry', summary: 'Remove a day of your journal' })
  async remove(@CurrentUser() me: Principal, @Param() params: DayParams): Promise<void> {
    await this.journal.remove(me.id, params.date);
  }

  @Get('summary')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'getJournalSummary',
    summary: 'Per symptom: daily series, worst days, change; temperatures, medicines, appointments, questions',
  })
  summary(@CurrentUser() me: Principal, @Query() query: RangeQueryDto) {
    return this.journal.summary(me.id, query);
  }

  @Get('export.csv')
  @ApiOperation({ operationId: 'exportJournalCsv', summary: 'Every day of your journal, as CSV' })
  @ApiProduces('text/csv')
  async csv(@CurrentUser() me: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const entries = [];
    for await (const batch of this.journal.allDays(me.id)) entries.push(...batch);
    void reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="haven-journal-${await this.journal.today(me.id)}.csv"`)
      .header('Cache-Control', 'private, no-store');
    return journalCsv(entries);
  }

  @Get('settings')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'getJournalSettings',
    summary: 'Your care team numbers, own symptoms, medicines list, reminder',
  })
  settings(@CurrentUser() me: Principal) {
    return this.journal.settings(me.id);
  }

  @Patch('settings')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'updateJournalSettings', summary: 'Change your journal settings (each field replaces)' })
  updateSettings(@CurrentUser() me: Principal, @Body() body: SettingsPatchDto) {
    return this.journal.updateSettings(me.id, body);
  }

  @Post('shares')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'createJournalShare',
    summary: 'A read-only link to one period, for 1-30 days (its token is shown this once)',
  })
  createShare(@CurrentUser() me: Principal, @Body() body: ShareInputDto) {
    return this.journal.createShare(me.id, body);
  }

  @Get('shares')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'listJournalShares', summary: 'Your share links, newest first, with their views' })
  shares(@CurrentUser() me: Principal) {
    return this.journal.shares(me.id);
  }

  @Delete('shares/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeJournalShare', summary: 'Stop a share link at once' })
  async revoke(@CurrentUser() me: Principal, @Param() params: IdParams): Promise<void> {
    await this.journal.revokeShare(me.id, params.id);
  }

  @Public()
  @Get('shared/:token')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({
    operationId: 'getSharedJournal',
    summary: 'The period a member shared (anyone with the link, until it expires or is stopped: then 410)',
  })
  shared(@Param() params: TokenParams, @Req() req: FastifyRequest) {
    return this.journal.shared(params.token, { userAgent: req.headers['user-agent'] });
  }
}
