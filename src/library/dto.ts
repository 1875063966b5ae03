import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Text } from '../common/validation/decorators';
import { SUPPORT_KINDS } from './library.constants';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = '$property must be a date (year-month-day)';

/** An article as the admin's form sends it: reviewers and sources one per line (the service reads them). */
export class ArticleInputDto {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,99}$/, { message: 'key must be 2-100 characters: a-z, 0-9 and -' })
  key!: string;

  @Text({ min: 1, max: 200 })
  title!: string;

  @Text({ min: 1, max: 300 })
  summary!: string;

  @Text({ min: 1, max: 100_000 })
  body!: string;

  @Text({ max: 4000 })
  reviewers!: string;

  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  reviewedOn?: string;

  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  nextReviewOn?: string;

  @Text({ max: 8000 })
  sources!: string;
}

/** One of the site's own pages. */
export class SitePageInputDto {
  @Text({ min: 1, max: 200 })
  title!: string;

  @Text({ min: 1, max: 100_000 })
  body!: string;
}

/** A crisis line or nurse helpline. */
export class SupportLineInputDto {
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter country code (GB, US, IE…)' })
  country!: string;

  @IsIn(SUPPORT_KINDS, { message: 'kind must be crisis or nurse' })
  kind!: string;

  @Text({ min: 1, max: 120 })
  name!: string;

  @IsString()
  @Matches(/^[0-9+() -]{2,30}$/, { message: 'phone must be 2-30 digits, spaces, +, ( or )' })
  phone!: string;

  @Text({ max: 120 })
  hours!: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]{1,490}$/i, { message: 'url must start with http:// or https://' })
  url?: string;
}
