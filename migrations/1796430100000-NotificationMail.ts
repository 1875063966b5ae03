import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationMail1796430100000 implements MigrationInterface {
  name = 'NotificationMail1796430100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "mailable" boolean NOT NULL DEFAULT true`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "mailable"`);
  }
}
