import { NumericId } from './decorators';

/** `:id` in a route: a numeric id (ids are opaque strings to clients, but Haven's are digits). */
export class IdParams {
  @NumericId()
  id!: string;
}
