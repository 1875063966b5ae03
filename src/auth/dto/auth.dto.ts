import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { CaptchaAnswerDto, CaptchaField } from '../../captcha/dto/captcha.dto';
import { Email, Text, TimeZone, Username } from '../../common/validation/decorators';
import { NewPassword } from '../password-policy';

export class RegisterDto {
  @Username()
  username!: string;

  @Email()
  email!: string;

  @NewPassword()
  password!: string;

  @Text({ optional: true, min: 1, max: 64, description: 'the name other members see; defaults to the username' })
  displayName?: string;

  @TimeZone({ optional: true, description: "the member's IANA time zone (the web sign-up sends the browser's)" })
  timeZone?: string;

  @CaptchaField()
  captcha!: CaptchaAnswerDto;
}

export class LoginDto {
  @ApiProperty({ description: 'username or email' })
  @IsString()
  @Length(1, 254, { message: 'login must be a username or an email' })
  login!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024, { message: 'password must not be empty' })
  password!: string;

  @TimeZone({ optional: true, description: "the browser's IANA time zone: kept if the member has none yet" })
  timeZone?: string;

  @ApiPropertyOptional({
    type: CaptchaAnswerDto,
    description: 'needed only after failed sign-ins from your connection (the 401 says `captchaRequired: true`)',
  })
  @IsOptional()
  @IsObject({ message: 'captcha must be an object: {id, answer} or {id, number}' })
  @ValidateNested()
  @Type(() => CaptchaAnswerDto)
  captcha?: CaptchaAnswerDto;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', description: 'your password now' })
  @IsString()
  @Length(1, 1024, { message: 'currentPassword must not be empty' })
  currentPassword!: string;

  @NewPassword()
  newPassword!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}
