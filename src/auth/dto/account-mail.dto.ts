import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { TOKEN_PATTERN } from '../../common/tokens/one-time-token';
import { Email } from '../../common/validation/decorators';
import { NewPassword } from '../password-policy';

/** The token of a mailed link, as the link carries it (`?token=`). */
function LinkToken() {
  return (target: object, property: string) => {
    ApiProperty({ description: 'the token from the link in the mail', pattern: TOKEN_PATTERN.source })(
      target,
      property,
    );
    IsString({ message: '$property must be the token from the link in the mail' })(target, property);
    Matches(TOKEN_PATTERN, { message: '$property is not valid: this link has expired or was already used' })(
      target,
      property,
    );
  };
}

export class LinkTokenDto {
  @LinkToken()
  token!: string;
}

export class PasswordResetRequestDto {
  @Email()
  email!: string;
}

export class PasswordResetConfirmDto {
  @LinkToken()
  token!: string;

  /** Checked again with the account's names once the link says whose it is. */
  @NewPassword()
  password!: string;
}

export class ChangeEmailDto {
  @Email({ description: 'the new address; a link goes to it, and nothing changes until it is used' })
  email!: string;

  @ApiProperty({ format: 'password', description: 'your password now' })
  @IsString()
  @Length(1, 1024, { message: 'password must not be empty' })
  password!: string;
}

/** A 202: the request is taken; what follows comes by mail. */
export class AcceptedDto {
  @ApiProperty({ example: 'If this address has an account, a link is on its way to it.' })
  message!: string;
}
