import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditDetails1796410345562 implements MigrationInterface {
  name = 'AuditDetails1796410345562';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "details" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "ck_audit_log_details_object" CHECK (details IS NULL OR jsonb_typeof(details) = 'object')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "ck_audit_log_details_object"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "details"`);
  }
}
