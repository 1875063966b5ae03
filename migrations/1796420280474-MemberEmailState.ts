import { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberEmailState1796420280474 implements MigrationInterface {
  name = 'MemberEmailState1796420280474';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "time_zone" character varying(64)`);
    // Members who joined before addresses were confirmed keep signing in with theirs and keep getting their mail.
    await queryRunner.query(`UPDATE "users" SET "email_verified_at" = "created_at"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "time_zone"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
