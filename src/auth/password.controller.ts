import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors, ApiNoContent } from '../common/openapi/api-responses';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { ChangePasswordDto } from './dto/auth.dto';
import { PasswordChangeService } from './password-change.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class PasswordController {
  constructor(private readonly passwords: PasswordChangeService) {}

  @Cost(COSTS.signIn)
  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change your password (the current one is required); your other sessions end, this one stays',
  })
  @ApiNoContent('Changed; every other session of yours has ended')
  @ApiErrors([400, 403, 429], {
    400: 'newPassword does not meet the password policy (the message names newPassword)',
    403: 'currentPassword is not the password of your account',
    429: 'Too many wrong passwords from your connection: try again after Retry-After seconds',
  })
  change(@CurrentUser() me: Principal, @Body() body: ChangePasswordDto, @Req() req: FastifyRequest) {
    return this.passwords.change(me, body, req.ip);
  }
}
