import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmailPreferences1796430000000 implements MigrationInterface {
  name = 'EmailPreferences1796430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_preferences" ("user_id" bigint NOT NULL, "replies" character varying(16) NOT NULL DEFAULT 'immediately', "mentions" character varying(16) NOT NULL DEFAULT 'immediately', "moderation" character varying(16) NOT NULL DEFAULT 'immediately', "digest" character varying(16) NOT NULL DEFAULT 'daily', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_email_preferences_digest" CHECK ("digest" IN ('off', 'immediately', 'daily', 'weekly')), CONSTRAINT "ck_email_preferences_moderation" CHECK ("moderation" IN ('off', 'immediately', 'daily', 'weekly')), CONSTRAINT "ck_email_preferences_mentions" CHECK ("mentions" IN ('off', 'immediately', 'daily', 'weekly')), CONSTRAINT "ck_email_preferences_replies" CHECK ("replies" IN ('off', 'immediately', 'daily', 'weekly')), CONSTRAINT "pk_email_preferences" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "email_preferences" ADD CONSTRAINT "fk_email_preferences_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_preferences" DROP CONSTRAINT "fk_email_preferences_user"`);
    await queryRunner.query(`DROP TABLE "email_preferences"`);
  }
}
