import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import { Intent } from '../common/auth/intent';
import type { Principal } from '../common/auth/principal';
import { ApiCreated, ApiErrors, ApiNoContent, ApiOk } from '../common/openapi/api-responses';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto, RegisterDto } from './dto/auth.dto';
import { AuthResultDto } from './dto/auth-responses.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Cost(COSTS.register)
  @Public()
  @Post('register')
  @ApiOperation({ operationId: 'register', summary: 'Create an account (captcha required); signs you in' })
  @ApiCreated(AuthResultDto, 'Signed in')
  @ApiErrors([409], { 409: 'That username is taken' })
  register(@Body() body: RegisterDto) {
    return this.auth.register(body);
  }

  @Cost(COSTS.signIn)
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with username or email' })
  @ApiOk(AuthResultDto, 'Signed in')
  @ApiErrors([400, 401, 403, 429], {
    400: 'Bad input, or a wrong captcha (the message names the field; with a captcha, `captchaRequired: true`)',
    401: 'Unknown user or wrong password (one message for both); with `captchaRequired: true`, send it again with a solved captcha',
    403: 'Suspended or banned',
    429: 'Far too many failed sign-ins from your connection: try again after Retry-After seconds',
  })
  login(@Body() body: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(body, req.ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Trade a refresh token for a new pair; the old one stops working',
  })
  @ApiOk(AuthResultDto, 'A new pair')
  @ApiErrors([401], { 401: 'Unknown, expired or already used refresh token' })
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @ApiBearerAuth()
  @Intent('sign-out')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ operationId: 'logout', summary: 'End this session' })
  @ApiNoContent()
  logout(@CurrentUser() me: Principal, @Body() body: RefreshDto) {
    return this.auth.logout(me, body.refreshToken);
  }

  @ApiBearerAuth()
  @Intent('sign-out')
  @Post('logout-all')
  @HttpCode(204)
  @ApiOperation({ operationId: 'logoutEverywhere', summary: 'End every session of yours, on every device' })
  @ApiNoContent()
  logoutAll(@CurrentUser() me: Principal) {
    return this.auth.logoutEverywhere(me);
  }
}
