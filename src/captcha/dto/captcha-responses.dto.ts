import { ApiProperty } from '@nestjs/swagger';
import type { ImageChallenge, PowChallenge } from '../captcha.service';

export class ImageChallengeDto implements ImageChallenge {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['image'] })
  kind!: 'image';

  @ApiProperty({ description: 'data:image/...;base64,...: enter the characters shown' })
  image!: string;

  @ApiProperty({ type: 'integer' })
  width!: number;

  @ApiProperty({ type: 'integer' })
  height!: number;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

/** ALTCHA-compatible: find `number` in 0..maxNumber with SHA-256(salt + number) = challenge, in hex. */
export class PowChallengeDto implements PowChallenge {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['pow'] })
  kind!: 'pow';

  @ApiProperty({ example: 'SHA-256' })
  algorithm!: string;

  @ApiProperty()
  challenge!: string;

  @ApiProperty()
  salt!: string;

  @ApiProperty({ type: 'integer' })
  maxNumber!: number;

  @ApiProperty({ type: 'integer', description: 'the same, under the name the ALTCHA widget reads' })
  maxnumber!: number;

  @ApiProperty()
  signature!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
