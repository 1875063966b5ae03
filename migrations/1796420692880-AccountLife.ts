import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLife1796420692880 implements MigrationInterface {
  name = 'AccountLife1796420692880';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_exports" ("user_id" bigint NOT NULL, "request_id" uuid NOT NULL, "status" character varying(12) NOT NULL, "archive" bytea, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ready_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_account_exports_status" CHECK ("status" IN ('building', 'ready', 'failed')), CONSTRAINT "pk_account_exports" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "account_deletions" ("user_id" bigint NOT NULL, "content" character varying(10) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cancel_token_hash" character varying(64) NOT NULL, CONSTRAINT "ck_account_deletions_content" CHECK ("content" IN ('anonymise', 'delete')), CONSTRAINT "pk_account_deletions" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_account_deletions_cancel" ON "account_deletions" ("cancel_token_hash") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_account_deletions_due" ON "account_deletions" ("due_at") `);
    await queryRunner.query(
      `ALTER TABLE "account_exports" ADD CONSTRAINT "fk_account_exports_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_deletions" ADD CONSTRAINT "fk_account_deletions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The audit log stays append-only, with one narrow exception: in a transaction that sets
    // haven.audit_forget (a member's deletion), an entry may trade her id and name for a pseudonym, nothing else.
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF TG_OP = 'UPDATE' AND current_setting('haven.audit_forget', true) = 'on'
                  AND NEW.id = OLD.id AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
                  AND NEW.created_at = OLD.created_at AND NEW.note IS NOT DISTINCT FROM OLD.note
                  AND NEW.details IS NOT DISTINCT FROM OLD.details
                  AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
                  AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label LIKE 'former-member-%')
                  AND (NEW.target_id = OLD.target_id OR NEW.target_id LIKE 'former-member-%') THEN
                 RETURN NEW;
               END IF;
               RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
             END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP; END $$`,
    );
    await queryRunner.query(`ALTER TABLE "account_deletions" DROP CONSTRAINT "fk_account_deletions_user"`);
    await queryRunner.query(`ALTER TABLE "account_exports" DROP CONSTRAINT "fk_account_exports_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_deletions_due"`);
    await queryRunner.query(`DROP INDEX "public"."uq_account_deletions_cancel"`);
    await queryRunner.query(`DROP TABLE "account_deletions"`);
    await queryRunner.query(`DROP TABLE "account_exports"`);
  }
}
