import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors, ApiOk } from '../common/openapi/api-responses';
import { EmailPreferencesDto, UpdateEmailPreferencesDto } from './dto/email-preferences.dto';
import { EmailPreferencesService } from './email-preferences.service';

@ApiTags('mail')
@ApiBearerAuth()
@Controller('me/email-preferences')
export class EmailPreferencesController {
  constructor(private readonly preferences: EmailPreferencesService) {}

  @Get()
  @ApiOperation({
    operationId: 'getEmailPreferences',
    summary: 'How often you get mail about replies, mentions, moderation and your digest',
  })
  @ApiOk(EmailPreferencesDto)
  get(@CurrentUser() me: Principal) {
    return this.preferences.get(me.id);
  }

  @Patch()
  @ApiOperation({
    operationId: 'updateEmailPreferences',
    summary: 'Change any of them: off, immediately, daily or weekly',
  })
  @ApiOk(EmailPreferencesDto)
  @ApiErrors([400])
  update(@CurrentUser() me: Principal, @Body() body: UpdateEmailPreferencesDto) {
    return this.preferences.update(me.id, body);
  }
}
