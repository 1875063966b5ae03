import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostRevisionReason1796442189280 implements MigrationInterface {
  name = 'PostRevisionReason1796442189280';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_revisions" ADD "reason" character varying(500)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_revisions" DROP COLUMN "reason"`);
  }
}
