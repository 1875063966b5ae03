import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser } from '../common/auth/auth.decorators';
import { Intent } from '../common/auth/intent';
import type { Principal } from '../common/auth/principal';
import { ApiAccepted, ApiErrors } from '../common/openapi/api-responses';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { AcceptedDto, ChangeEmailDto } from './dto/account-mail.dto';
import { EmailChange } from './email-change';
import { EmailVerification } from './email-verification';

export const LINK_SENT = 'A link is on its way to your address. It works for 24 hours.';
export const CHANGE_ASKED =
  'A link is on its way to the new address. Your address changes when you open it; until then it stays as it is.';

/** A member's own address: the confirmation link again, and moving to a new address. Silenced members may too. */
@ApiTags('auth')
@ApiBearerAuth()
@Intent('sign-in')
@Controller('me')
export class MyEmailController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly emailChange: EmailChange,
  ) {}

  @Post('verification-email')
  @HttpCode(202)
  @ApiOperation({ operationId: 'resendVerificationEmail', summary: 'Send the link that confirms your address again' })
  @ApiAccepted(AcceptedDto, 'A link is on its way')
  @ApiErrors([409, 429], {
    409: 'Your address is already confirmed',
    429: 'Asked too often (once per 2 minutes, 5 times a day): try again after Retry-After seconds',
  })
  async resend(@CurrentUser() me: Principal): Promise<AcceptedDto> {
    await this.verification.resend(me.id);
    return { message: LINK_SENT };
  }

  @Cost(COSTS.signIn)
  @Post('email')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'changeEmail',
    summary: 'Move your account to a new address (your password is required); a link goes to the new address',
  })
  @ApiAccepted(AcceptedDto, 'A link is on its way to the new address (the same answer whoever holds it)')
  @ApiErrors([403, 429], {
    403: 'password is not the password of your account',
    429: 'Too many wrong passwords from your connection, or too many changes today: try again after Retry-After',
  })
  async change(@CurrentUser() me: Principal, @Body() body: ChangeEmailDto, @Req() req: FastifyRequest) {
    await this.emailChange.request(me, body, req.ip);
    return { message: CHANGE_ASKED };
  }
}
