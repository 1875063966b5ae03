import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostContentWarnings1795726537124 implements MigrationInterface {
  name = 'PostContentWarnings1795726537124';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" ADD "content_warning" character varying(100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "content_warning"`);
  }
}
