import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { ApiAccepted, ApiErrors, ApiNoContent } from '../common/openapi/api-responses';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { AcceptedDto, LinkTokenDto, PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/account-mail.dto';
import { EmailChange } from './email-change';
import { EmailVerification } from './email-verification';
import { PasswordReset } from './password-reset';

/** The same words whatever the address: whether it has an account is never told. */
export const RESET_ASKED = 'If this address has an account, a link to choose a new password is on its way to it.';

const DEAD = { 400: 'token is not valid: the link has expired or was already used (the message names token)' };

/** What the links in account mail do, for anyone holding the link (no sign-in: the link proves the mailbox). */
@ApiTags('auth')
@Public()
@Controller('auth')
export class AccountLinksController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly reset: PasswordReset,
    private readonly emailChange: EmailChange,
  ) {}

  @Post('verify-email')
  @HttpCode(204)
  @ApiOperation({ operationId: 'verifyEmail', summary: 'Confirm your address with the token from the mailed link' })
  @ApiNoContent('Your address is confirmed')
  @ApiErrors([400], DEAD)
  verify(@Body() body: LinkTokenDto) {
    return this.verification.confirm(body.token);
  }

  @Cost(COSTS.signIn)
  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Ask for a link to choose a new password; the same answer whether or not the address has an account',
  })
  @ApiAccepted(AcceptedDto, 'Taken: a mail with a link goes to the address if it has an account')
  @ApiErrors([429], { 429: 'Too many requests from your connection: try again after Retry-After seconds' })
  async requestReset(@Body() body: PasswordResetRequestDto, @Req() req: FastifyRequest): Promise<AcceptedDto> {
    await this.reset.request(body.email, req.ip);
    return { message: RESET_ASKED };
  }

  @Cost(COSTS.signIn)
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'confirmPasswordReset',
    summary: 'Choose a new password with the token from the mailed link; every session of the account ends',
  })
  @ApiNoContent('The password is changed; sign in with it')
  @ApiErrors([400], {
    400: 'token is not valid (expired or used), or password does not meet the policy (the message names the field)',
  })
  confirmReset(@Body() body: PasswordResetConfirmDto) {
    return this.reset.confirm(body.token, body.password);
  }

  @Post('email-change/confirm')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'confirmEmailChange',
    summary: 'Confirm a new address with the token mailed to it; the old address gets an undo link',
  })
  @ApiNoContent('The account now uses the new address')
  @ApiErrors([400], DEAD)
  confirmEmailChange(@Body() body: LinkTokenDto) {
    return this.emailChange.confirm(body.token);
  }

  @Post('email-change/undo')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'undoEmailChange',
    summary: 'Undo a change of address with the token mailed to the old one; every session of the account ends',
  })
  @ApiNoContent('The old address is back')
  @ApiErrors([400], DEAD)
  undoEmailChange(@Body() body: LinkTokenDto) {
    return this.emailChange.undo(body.token);
  }
}
