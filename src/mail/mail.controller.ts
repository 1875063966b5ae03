import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { ApiErrors, ApiOk } from '../common/openapi/api-responses';
import { UnsubscribeLinks } from './unsubscribe';

export class UnsubscribedDto {
  @ApiProperty({ example: true })
  unsubscribed!: boolean;

  @ApiProperty({ example: 'You will no longer get the daily digest of “Living with metastatic breast cancer”.' })
  message!: string;
}

@ApiTags('mail')
@Controller('mail')
export class MailController {
  constructor(private readonly links: UnsubscribeLinks) {}

  /** RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL, without cookies. */
  @Public()
  @Post('unsubscribe/:token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'unsubscribeOneClick',
    summary: 'One-click unsubscribe (RFC 8058): stops the mail the link names, without signing in',
  })
  @ApiOk(UnsubscribedDto, 'Stopped (also when it was already stopped)')
  @ApiErrors([404], { 404: 'Not a valid unsubscribe link' })
  async unsubscribe(@Param('token') token: string): Promise<UnsubscribedDto> {
    return { unsubscribed: true, message: await this.links.stop(token) };
  }
}
