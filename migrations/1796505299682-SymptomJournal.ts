import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The private symptom journal: a day's entry, her settings, share links and their views. Only member ids, days and
 * share bookkeeping are in clear; every symptom, grade, temperature, medicine, note and number is sealed in the
 * `payload` columns (AES-256-GCM, src/journal/journal-crypto.ts). Everything goes with her account.
 */
export class SymptomJournal1796505299682 implements MigrationInterface {
  name = 'SymptomJournal1796505299682';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "journal_shares" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" bigint NOT NULL, "token_hash" character varying(64) NOT NULL, "from_day" date NOT NULL, "to_day" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_journal_shares_expiry" CHECK ("expires_at" > "created_at"), CONSTRAINT "ck_journal_shares_period" CHECK ("from_day" <= "to_day"), CONSTRAINT "pk_journal_shares" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_journal_shares_token" ON "journal_shares" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_journal_shares_user" ON "journal_shares" ("user_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "journal_settings" ("user_id" bigint NOT NULL, "payload" bytea NOT NULL, "reminder_due_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_journal_settings" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_journal_settings_reminder_due" ON "journal_settings" ("reminder_due_at") WHERE "reminder_due_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "journal_entries" ("user_id" bigint NOT NULL, "day" date NOT NULL, "payload" bytea NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_journal_entries" PRIMARY KEY ("user_id", "day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "journal_share_views" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "share_id" bigint NOT NULL, "viewed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "browser" character varying(16) NOT NULL, "device" character varying(8) NOT NULL, CONSTRAINT "pk_journal_share_views" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_journal_share_views_share" ON "journal_share_views" ("share_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "journal_shares" ADD CONSTRAINT "fk_journal_shares_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_settings" ADD CONSTRAINT "fk_journal_settings_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "fk_journal_entries_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_share_views" ADD CONSTRAINT "fk_journal_share_views_share" FOREIGN KEY ("share_id") REFERENCES "journal_shares"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "journal_share_views" DROP CONSTRAINT "fk_journal_share_views_share"`);
    await queryRunner.query(`ALTER TABLE "journal_entries" DROP CONSTRAINT "fk_journal_entries_user"`);
    await queryRunner.query(`ALTER TABLE "journal_settings" DROP CONSTRAINT "fk_journal_settings_user"`);
    await queryRunner.query(`ALTER TABLE "journal_shares" DROP CONSTRAINT "fk_journal_shares_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_journal_share_views_share"`);
    await queryRunner.query(`DROP TABLE "journal_share_views"`);
    await queryRunner.query(`DROP TABLE "journal_entries"`);
    await queryRunner.query(`DROP INDEX "public"."ix_journal_settings_reminder_due"`);
    await queryRunner.query(`DROP TABLE "journal_settings"`);
    await queryRunner.query(`DROP INDEX "public"."ix_journal_shares_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_journal_shares_token"`);
    await queryRunner.query(`DROP TABLE "journal_shares"`);
  }
}
