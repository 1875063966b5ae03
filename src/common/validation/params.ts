import { Matches } from 'class-validator';

/** `:id` in a route: a numeric id (ids are opaque strings to clients, but Haven's are digits). */
export class IdParams {
  @Matches(/^\d{1,18}$/, { message: 'id must be a numeric id' })
  id!: string;
}
