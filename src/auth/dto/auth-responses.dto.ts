import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/openapi/error-response.dto';
import { UserDto } from '../../users/dto/user-responses.dto';
import type { AuthResult } from '../auth.service';

/** A signed-in session: who you are and your token pair. */
export class AuthResultDto implements AuthResult {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ description: 'send as Authorization: Bearer <accessToken>' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  accessTokenExpiresAt!: string;

  @ApiProperty({ description: 'single use: POST /api/auth/refresh trades it for a new pair' })
  refreshToken!: string;
}

/** A refused sign-in: the contract's error body, and whether the next try must carry a solved captcha. */
export class SignInRefusedDto extends ErrorResponseDto {
  @ApiPropertyOptional({
    enum: [true],
    description:
      'send the sign-in again with `captcha` (GET /api/captcha): there were recent failed sign-ins from your connection',
  })
  captchaRequired?: true;
}
