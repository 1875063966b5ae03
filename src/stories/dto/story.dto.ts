import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import {
  COUNTRY_CODES,
  FIRST_DIAGNOSIS_YEAR,
  STORY_ROLES,
  type StoryRole,
  SUBTYPES,
  type Subtype,
} from '../story.constants';

const upper = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value));

/** Her story as she writes it (PUT replaces it: a field left out is no longer said). */
export class StoryInputDto {
  @ApiPropertyOptional({ enum: STORY_ROLES })
  @IsOptional()
  @IsIn(STORY_ROLES, { message: `role must be one of ${STORY_ROLES.join(', ')}` })
  role?: StoryRole;

  @ApiPropertyOptional({ enum: SUBTYPES })
  @IsOptional()
  @IsIn(SUBTYPES, { message: `subtype must be one of ${SUBTYPES.join(', ')}` })
  subtype?: Subtype;

  @ApiPropertyOptional({ type: 'integer', minimum: FIRST_DIAGNOSIS_YEAR, description: 'not after this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'diagnosisYear must be a year such as 2019' })
  @Min(FIRST_DIAGNOSIS_YEAR, { message: `diagnosisYear must be ${FIRST_DIAGNOSIS_YEAR} or later` })
  @Max(2100, { message: 'diagnosisYear must be a year such as 2019' })
  diagnosisYear?: number;

  @ApiPropertyOptional({ example: 'GB', description: 'ISO 3166 two-letter country code' })
  @IsOptional()
  @upper()
  @IsIn(COUNTRY_CODES, { message: 'country must be a two-letter country code such as GB' })
  country?: string;

  @ApiPropertyOptional({ default: false, description: 'show it on your profile, to members (never to guests)' })
  @IsOptional()
  @IsBoolean({ message: 'shown must be true or false' })
  shown?: boolean;

  @ApiPropertyOptional({ default: false, description: 'let members with the same subtype find you (needs a subtype)' })
  @IsOptional()
  @IsBoolean({ message: 'findable must be true or false' })
  findable?: boolean;
}

/** What others may see of a story. */
export class StoryFactsDto {
  @ApiProperty({ enum: STORY_ROLES, nullable: true })
  role!: StoryRole | null;

  @ApiProperty({ enum: SUBTYPES, nullable: true })
  subtype!: Subtype | null;

  @ApiProperty({ type: 'integer', nullable: true })
  diagnosisYear!: number | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'GB' })
  country!: string | null;
}

/** Her own story, with her two choices. */
export class StoryDto extends StoryFactsDto {
  @ApiProperty()
  shown!: boolean;

  @ApiProperty()
  findable!: boolean;
}

/** At least one of subtype, role and country. */
export class MembersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SUBTYPES, description: 'members who let others with this subtype find them' })
  @IsOptional()
  @IsIn(SUBTYPES, { message: `subtype must be one of ${SUBTYPES.join(', ')}` })
  subtype?: Subtype;

  @ApiPropertyOptional({ enum: STORY_ROLES, description: 'only among members who show their story' })
  @IsOptional()
  @IsIn(STORY_ROLES, { message: `role must be one of ${STORY_ROLES.join(', ')}` })
  role?: StoryRole;

  @ApiPropertyOptional({ example: 'GB', description: 'only among members who show their story' })
  @IsOptional()
  @upper()
  @IsIn(COUNTRY_CODES, { message: 'country must be a two-letter country code such as GB' })
  country?: string;
}

/** A member who may be found: her names, and her story when she shows it. */
export class MemberCardDto {
  @ApiProperty({ example: 'hope_rising' })
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ type: StoryFactsDto, nullable: true, description: 'null unless she shows her story' })
  story!: StoryFactsDto | null;
}

export type StoryFacts = Omit<StoryFactsDto, never>;
export type Story = StoryFacts & { shown: boolean; findable: boolean };
export interface MemberCard {
  username: string;
  displayName: string;
  story: StoryFacts | null;
}
