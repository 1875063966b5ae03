import { Module } from '@nestjs/common';
import { CAPTCHA_VERIFIER } from './captcha-verifier';
import { CaptchaController } from './captcha.controller';
import { CaptchaService } from './captcha.service';
import { ChallengeStore } from './challenge-store';

@Module({
  controllers: [CaptchaController],
  providers: [ChallengeStore, CaptchaService, { provide: CAPTCHA_VERIFIER, useExisting: CaptchaService }],
  exports: [CAPTCHA_VERIFIER, CaptchaService],
})
export class CaptchaModule {}
