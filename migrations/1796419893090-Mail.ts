import { MigrationInterface, QueryRunner } from 'typeorm';

export class Mail1796419893090 implements MigrationInterface {
  name = 'Mail1796419893090';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_suppressions" ("address_hash" character varying(64) NOT NULL, "scope" character varying(12) NOT NULL, "reason" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_mail_suppressions_scope" CHECK ("scope" IN ('all', 'notice')), CONSTRAINT "PK_f7733e8f5acaaaf8b508873b4f0" PRIMARY KEY ("address_hash", "scope"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "key" character varying(200) NOT NULL, "message_id" character varying(200) NOT NULL, "user_id" bigint, "to_address" character varying(320) NOT NULL, "address_hash" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "subject" character varying(300) NOT NULL, "text_body" text, "html_body" text, "headers" jsonb NOT NULL DEFAULT '{}', "status" character varying(12) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "claimed_until" TIMESTAMP WITH TIME ZONE, "last_error" character varying(120), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_mail_messages_status" CHECK ("status" IN ('queued', 'sending', 'sent', 'kept', 'bounced', 'suppressed', 'failed')), CONSTRAINT "ck_mail_messages_kind" CHECK ("kind" IN ('account', 'notice', 'notification', 'digest', 'subscription')), CONSTRAINT "PK_1bd6e76ef3b3d4aff7d0510a509" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_mail_messages_user" ON "mail_messages" ("user_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_mail_messages_address" ON "mail_messages" ("address_hash", "created_at") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_mail_messages_key" ON "mail_messages" ("key") `);
    await queryRunner.query(
      `ALTER TABLE "mail_messages" ADD CONSTRAINT "fk_mail_messages_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" DROP CONSTRAINT "fk_mail_messages_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_mail_messages_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_messages_address"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_messages_user"`);
    await queryRunner.query(`DROP TABLE "mail_messages"`);
    await queryRunner.query(`DROP TABLE "mail_suppressions"`);
  }
}
