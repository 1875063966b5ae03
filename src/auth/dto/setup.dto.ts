import { Email, Text, Username } from '../../common/validation/decorators';
import { NewPassword } from '../password-policy';

/** The first admin's account, from the setup link's form: the sign-up's rules, without a captcha (see setup-link). */
export class FirstAdminDto {
  @Username()
  username!: string;

  @Email()
  email!: string;

  @NewPassword()
  password!: string;

  @Text({ optional: true, min: 1, max: 64, description: 'the name other members see; defaults to the username' })
  displayName?: string;
}
