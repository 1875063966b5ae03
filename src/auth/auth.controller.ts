import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import { Intent } from '../common/auth/intent';
import type { Principal } from '../common/auth/principal';
import { COSTS, Cost } from '../common/rate-limit/cost.decorator';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto, RegisterDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Cost(COSTS.register)
  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account (captcha required); signs you in' })
  register(@Body() body: RegisterDto) {
    return this.auth.register(body);
  }

  @Cost(COSTS.signIn)
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username or email' })
  login(@Body() body: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(body, req.ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; the old one stops working' })
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @ApiBearerAuth()
  @Intent('sign-out')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  logout(@CurrentUser() me: Principal, @Body() body: RefreshDto) {
    return this.auth.logout(me, body.refreshToken);
  }

  @ApiBearerAuth()
  @Intent('sign-out')
  @Post('logout-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of yours, on every device' })
  logoutAll(@CurrentUser() me: Principal) {
    return this.auth.logoutEverywhere(me);
  }
}
