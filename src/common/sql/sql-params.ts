/**
 * The parameters of one statement put together from several features' fragments (a reply's single write: the post,
 * the forum's counters, the member's count, the fan-out job). Each fragment adds its values here and writes the
 * `$n` it is given, so no feature needs to know the others' parameter numbers.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value; answers its placeholder, with a cast when given (`$3::bigint`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}
