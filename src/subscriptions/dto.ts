import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import { Email, NumericId, Text } from '../common/validation/decorators';
import {
  FREQUENCIES,
  FREQUENCY_CHOICES,
  type FrequencyChoice,
  TARGET_TYPES,
  type TargetType,
} from './subscription.constants';

export class SubscriptionTargetDto {
  @ApiProperty({ enum: TARGET_TYPES })
  type!: TargetType;

  @ApiPropertyOptional({
    description: "the article's page key, the category's slug or the thread's id; none for the newsletter",
    example: 'breast-cancer-stage-four',
  })
  key?: string;
}

export class SubscribeDto {
  @Email({ optional: true, description: 'guests only: where the confirmation link and the updates go' })
  email?: string;

  @ApiProperty({ type: SubscriptionTargetDto })
  @IsObject({ message: 'target must be an object {type, key}' })
  target!: { type?: unknown; key?: unknown };

  @ApiProperty({ enum: FREQUENCY_CHOICES })
  @IsIn(FREQUENCY_CHOICES, { message: `frequency must be one of ${FREQUENCY_CHOICES.join(', ')}` })
  frequency!: FrequencyChoice;

  @Text({ optional: true, max: 64, description: 'guests: an IANA time zone for digests at 08:00 (default UTC)' })
  timeZone?: string;
}

export class ConfirmSubscriptionDto {
  @Text({ max: 64, description: 'the token from the confirmation link' })
  token!: string;
}

export class SubscriptionIdParams {
  @NumericId()
  id!: string;
}

export class SubscribedDto {
  @ApiProperty({
    enum: ['pending', 'active', 'off'],
    description:
      'pending: a confirmation link went (or had already gone) to the address; active: a member with a confirmed ' +
      'address, subscribed at once; off: frequency off ended her subscription. Guests always read pending.',
  })
  status!: 'pending' | 'active' | 'off';

  @ApiProperty({ example: 'Please check your email to confirm.' })
  message!: string;
}

export class SubscriptionDto {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ type: SubscriptionTargetDto })
  target!: { type: TargetType; key?: string };

  @ApiProperty({ example: 'Living with metastatic breast cancer' })
  title!: string;

  @ApiProperty({ example: 'http://localhost:3000/articles/breast-cancer-stage-four' })
  url!: string;

  @ApiProperty({ enum: FREQUENCIES })
  frequency!: string;

  @ApiProperty({ description: 'false until the link mailed to the address is followed' })
  confirmed!: boolean;

  @ApiProperty()
  createdAt!: string;
}
