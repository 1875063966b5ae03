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
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCreated, ApiErrors, ApiNoContent, ApiOk } from '../common/openapi/api-responses';
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
  SummaryQueryDto,
  TokenParams,
} from './dto/journal.dto';
import {
  CreatedShareDto,
  JournalEntryDto,
  JournalSettingsDto,
  JournalShareDto,
  JournalSummaryDto,
  PutJournalEntryResultDto,
  SharedJournalDto,
} from './dto/journal-views.dto';
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
  @ApiOk([JournalEntryDto])
  entries(@CurrentUser() me: Principal, @Query() query: RangeQueryDto) {
    return this.journal.entries(me.id, query);
  }

  @Get('entries/:date')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'getJournalEntry', summary: 'One day of your journal (404: nothing written that day)' })
  @ApiOk(JournalEntryDto)
  @ApiErrors([404], { 404: 'Nothing written that day' })
  entry(@CurrentUser() me: Principal, @Param() params: DayParams) {
    return this.journal.requireEntry(me.id, params.date);
  }

  @Put('entries/:date')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'putJournalEntry',
    summary: 'Write a day of your journal (201 new, 200 replaced); says when to call your care team',
  })
  @ApiOk(PutJournalEntryResultDto, 'The day replaced')
  @ApiCreated(PutJournalEntryResultDto, 'The day written')
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
  @ApiNoContent()
  @ApiErrors([404], { 404: 'Nothing written that day' })
  async remove(@CurrentUser() me: Principal, @Param() params: DayParams): Promise<void> {
    await this.journal.remove(me.id, params.date);
  }

  @Get('summary')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'getJournalSummary',
    summary: 'Per symptom: daily series, worst days, change; temperatures, medicines, appointments, questions',
  })
  @ApiOk(JournalSummaryDto)
  summary(@CurrentUser() me: Principal, @Query() query: SummaryQueryDto) {
    return this.journal.summary(me.id, query);
  }

  @Get('export.csv')
  @ApiOperation({ operationId: 'exportJournalCsv', summary: 'Every day of your journal, as CSV' })
  @ApiOkResponse({
    description: 'CSV (RFC 4180): one row a day, one column of grades per symptom',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
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
  @ApiOk(JournalSettingsDto)
  settings(@CurrentUser() me: Principal) {
    return this.journal.settings(me.id);
  }

  @Patch('settings')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'updateJournalSettings', summary: 'Change your journal settings (each field replaces)' })
  @ApiOk(JournalSettingsDto)
  updateSettings(@CurrentUser() me: Principal, @Body() body: SettingsPatchDto) {
    return this.journal.updateSettings(me.id, body);
  }

  @Post('shares')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'createJournalShare',
    summary: 'A read-only link to one period, for 1-30 days (its token is shown this once)',
  })
  @ApiCreated(CreatedShareDto)
  @ApiErrors([409], { 409: 'Too many links open at once' })
  createShare(@CurrentUser() me: Principal, @Body() body: ShareInputDto) {
    return this.journal.createShare(me.id, body);
  }

  @Get('shares')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ operationId: 'listJournalShares', summary: 'Your share links, newest first, with their views' })
  @ApiOk([JournalShareDto])
  shares(@CurrentUser() me: Principal) {
    return this.journal.shares(me.id);
  }

  @Delete('shares/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeJournalShare', summary: 'Stop a share link at once' })
  @ApiNoContent()
  @ApiErrors([404], { 404: 'No such link of yours' })
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
  @ApiOk(SharedJournalDto)
  @ApiErrors([404, 410], { 404: 'No such link', 410: 'The link expired or was stopped' })
  shared(@Param() params: TokenParams, @Req() req: FastifyRequest) {
    return this.journal.shared(params.token, { userAgent: req.headers['user-agent'] });
  }
}
