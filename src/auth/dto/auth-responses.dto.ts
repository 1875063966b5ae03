import { ApiProperty } from '@nestjs/swagger';
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
