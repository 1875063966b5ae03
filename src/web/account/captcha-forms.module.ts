import { Module } from '@nestjs/common';
import { CaptchaModule } from '../../captcha/captcha.module';
import { CaptchaForms } from './captcha-forms';

/** The captcha on web forms (sign-up, guest comments): shared by the account and article pages. */
@Module({
  imports: [CaptchaModule],
  providers: [CaptchaForms],
  exports: [CaptchaForms],
})
export class CaptchaFormsModule {}
