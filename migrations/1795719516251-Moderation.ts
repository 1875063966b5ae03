import { MigrationInterface, QueryRunner } from 'typeorm';

export class Moderation1795719516251 implements MigrationInterface {
  name = 'Moderation1795719516251';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "watched_words" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "pattern" character varying(100) NOT NULL, "action" character varying(8) NOT NULL, "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_watched_words_action" CHECK ("action" IN ('block', 'hold', 'flag', 'crisis')), CONSTRAINT "PK_57b1b941d4b2fa87e36f3d4033d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_watched_words_pattern" ON "watched_words" ("pattern") `);
    await queryRunner.query(
      `CREATE TABLE "sanctions" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ends_at" TIMESTAMP WITH TIME ZONE, "created_by" bigint, "lifted_at" TIMESTAMP WITH TIME ZONE, "lifted_by" bigint, CONSTRAINT "ck_sanctions_suspend_ends" CHECK ("kind" <> 'suspend' OR "ends_at" IS NOT NULL), CONSTRAINT "ck_sanctions_kind" CHECK ("kind" IN ('silence', 'suspend', 'ban')), CONSTRAINT "PK_29bef7647676bb7ec707f29b18f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_sanctions_active" ON "sanctions" ("user_id") WHERE "lifted_at" IS NULL`);
    await queryRunner.query(
      `CREATE TABLE "reports" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "reporter_id" bigint NOT NULL, "target_type" character varying(16) NOT NULL, "target_id" bigint NOT NULL, "reason" character varying(16) NOT NULL, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_reports_target" CHECK ("target_type" IN ('post', 'thread', 'comment', 'chat_message', 'user')), CONSTRAINT "ck_reports_reason" CHECK ("reason" IN ('spam', 'abuse', 'misinformation', 'self_harm', 'other')), CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_reports_target" ON "reports" ("target_type", "target_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_reports_open" ON "reports" ("reporter_id", "target_type", "target_id") WHERE "resolved_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "moderation_items" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "target_type" character varying(16) NOT NULL, "target_id" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "priority" smallint NOT NULL DEFAULT '2', "report_count" integer NOT NULL DEFAULT '0', "reasons" text array NOT NULL DEFAULT '{}', "held" boolean NOT NULL DEFAULT false, "auto_hidden" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" bigint, "resolution" character varying(16), "resolution_note" text, CONSTRAINT "ck_moderation_items_resolution" CHECK ("resolution" IS NULL OR "resolution" IN ('approve', 'reject', 'hide', 'restore', 'delete', 'dismiss')), CONSTRAINT "ck_moderation_items_status" CHECK ("status" IN ('open', 'resolved')), CONSTRAINT "ck_moderation_items_target" CHECK ("target_type" IN ('post', 'thread', 'comment', 'chat_message', 'user')), CONSTRAINT "PK_7553314431cdb0fe119568d0f22" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_moderation_items_queue" ON "moderation_items" ("status", "priority", "report_count", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_moderation_items_open" ON "moderation_items" ("target_type", "target_id") WHERE "status" = 'open'`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "actor_id" bigint, "actor_label" character varying(64) NOT NULL, "action" character varying(48) NOT NULL, "target_type" character varying(16) NOT NULL, "target_id" character varying(64) NOT NULL, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_log_target" ON "audit_log" ("target_type", "target_id") `);
    await queryRunner.query(
      `ALTER TABLE "sanctions" ADD CONSTRAINT "fk_sanctions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reports" ADD CONSTRAINT "fk_reports_reporter" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The audit log is append-only: the database itself refuses to change or remove an entry.
    await queryRunner.query(
      `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER audit_log_no_change ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`ALTER TABLE "reports" DROP CONSTRAINT "fk_reports_reporter"`);
    await queryRunner.query(`ALTER TABLE "sanctions" DROP CONSTRAINT "fk_sanctions_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_target"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "public"."uq_moderation_items_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_moderation_items_queue"`);
    await queryRunner.query(`DROP TABLE "moderation_items"`);
    await queryRunner.query(`DROP INDEX "public"."uq_reports_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_reports_target"`);
    await queryRunner.query(`DROP TABLE "reports"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sanctions_active"`);
    await queryRunner.query(`DROP TABLE "sanctions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_watched_words_pattern"`);
    await queryRunner.query(`DROP TABLE "watched_words"`);
  }
}
