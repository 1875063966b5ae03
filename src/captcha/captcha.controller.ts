import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { ApiOkOneOf } from '../common/openapi/api-responses';
import { CaptchaService } from './captcha.service';
import { CaptchaQueryDto } from './dto/captcha.dto';
import { ImageChallengeDto, PowChallengeDto } from './dto/captcha-responses.dto';

@ApiTags('captcha')
@Controller('captcha')
export class CaptchaController {
  constructor(private readonly captcha: CaptchaService) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'getCaptcha',
    summary: 'A fresh single-use challenge: an image to read, or a proof-of-work puzzle',
  })
  @ApiOkOneOf([ImageChallengeDto, PowChallengeDto], 'A challenge of the kind asked for')
  issue(@Query() query: CaptchaQueryDto, @Req() req: FastifyRequest) {
    return this.captcha.issue(query.kind ?? 'image', req.ip);
  }
}
