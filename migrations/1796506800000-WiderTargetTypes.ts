import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `conversation_message` (20 characters) did not fit the 16 of `target_type` in the queue, the reports and the
 * audit log: widened in place (no rewrite of the rows, no index rebuilt for a longer varchar).
 */
export class WiderTargetTypes1796506800000 implements MigrationInterface {
  name = 'WiderTargetTypes1796506800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['moderation_items', 'reports', 'audit_log']) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "target_type" TYPE character varying(32)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['moderation_items', 'reports', 'audit_log']) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "target_type" TYPE character varying(16)`);
    }
  }
}
