import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import { Intent } from '../common/auth/intent';
import type { Principal } from '../common/auth/principal';
import { unauthenticated } from '../common/errors/domain-error';
import { ApiErrors, ApiNoContent, ApiOk } from '../common/openapi/api-responses';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';
import { CancelDeletionDto, DeleteAccountDto } from './dto/account.dto';
import { DeletionStatusDto, ExportStatusDto, MemberArchiveDto } from './dto/account-responses.dto';
import { ApiAcceptedResponse } from '@nestjs/swagger';

/**
 * Her data and her account's end. Taking her data and leaving write nothing others read, so a silenced member may
 * do both (`read` intent).
 */
@ApiTags('account')
@ApiBearerAuth()
@Controller('me')
export class AccountController {
  constructor(
    private readonly exports: AccountExportService,
    private readonly deletions: AccountDeletionService,
  ) {}

  @Intent('read')
  @Post('export')
  @HttpCode(202)
  @ApiOperation({ operationId: 'requestExport', summary: 'Start building an archive of your data (one at a time)' })
  @ApiAcceptedResponse({ description: 'Building (or already building)', type: ExportStatusDto })
  requestExport(@CurrentUser() me: Principal) {
    return this.exports.request(me.id);
  }

  @Get('export')
  @ApiOperation({ operationId: 'getExport', summary: 'Where your archive stands, and where to download it' })
  @ApiOk(ExportStatusDto)
  exportStatus(@CurrentUser() me: Principal) {
    return this.exports.status(me.id);
  }

  @Get('export/file')
  @ApiOperation({ operationId: 'downloadExport', summary: 'Your archive, as a JSON file (yours only, for 7 days)' })
  @ApiOk(MemberArchiveDto)
  @ApiErrors([404], { 404: 'No archive is ready, or it expired' })
  async exportFile(@CurrentUser() me: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.exports.file(me.id);
    void reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .header('Cache-Control', 'private, no-store');
    return file.json;
  }

  @Cost(COSTS.signIn)
  @Intent('read')
  @Delete()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'deleteMe',
    summary: 'Delete your account after a 7-day grace period; every session ends now; a cancel link is mailed',
  })
  @ApiAcceptedResponse({ description: 'Deletion pending', type: DeletionStatusDto })
  @ApiErrors([403, 429], { 403: 'password is not the password of your account' })
  deleteMe(@CurrentUser() me: Principal, @Body() body: DeleteAccountDto, @Req() req: FastifyRequest) {
    return this.deletions.request(me.id, body, req.ip);
  }

  @Get('deletion')
  @ApiOperation({ operationId: 'getDeletion', summary: 'Whether your account is due to be deleted, and when' })
  @ApiOk(DeletionStatusDto)
  deletionStatus(@CurrentUser() me: Principal) {
    return this.deletions.status(me.id);
  }

  @Public()
  @Intent('read')
  @Post('deletion/cancel')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'cancelDeletion',
    summary: 'Keep your account: signed in, or with the token from the mail',
  })
  @ApiNoContent('Cancelled; the account stays')
  @ApiErrors([401, 404], { 401: 'Neither signed in nor a token', 404: 'Nothing to cancel, or the link expired' })
  async cancel(@CurrentUser() me: Principal | undefined, @Body() body: CancelDeletionDto) {
    if (body.token) return this.deletions.cancelByToken(body.token);
    if (!me) throw unauthenticated('Sign in, or use the link from the mail');
    return this.deletions.cancel(me.id);
  }
}
