import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account links (confirm, reset, change and undo of an address) and an address that is no secret of registration:
 * one confirmed account per address (a partial unique index), unconfirmed copies beside it, and a flag for an
 * account that may never confirm its address because another had confirmed it first.
 */
export class AccountTokens1796430200000 implements MigrationInterface {
  name = 'AccountTokens1796430200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_tokens" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" bigint NOT NULL, "purpose" character varying(16) NOT NULL, "token_hash" character varying(64) NOT NULL, "email" character varying(254) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_account_tokens_purpose" CHECK ("purpose" IN ('verify', 'reset', 'email_change', 'email_undo')), CONSTRAINT "PK_5e3640c493cc6206a44b885e6a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_account_tokens_hash" ON "account_tokens" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_account_tokens_user" ON "account_tokens" ("user_id", "purpose") `);
    await queryRunner.query(
      `ALTER TABLE "account_tokens" ADD CONSTRAINT "fk_account_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "email_confirmable" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_email"`);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_users_email_confirmed" ON "users" ("email") WHERE "email_verified_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_users_email_confirmed"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_email"`);
    // Unconfirmed copies of a confirmed address cannot survive the old unique index.
    await queryRunner.query(
      `DELETE FROM "users" u WHERE u."email_verified_at" IS NULL AND EXISTS (SELECT 1 FROM "users" o WHERE o."email" = u."email" AND o."id" <> u."id" AND (o."email_verified_at" IS NOT NULL OR o."id" < u."id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_confirmable"`);
    await queryRunner.query(`ALTER TABLE "account_tokens" DROP CONSTRAINT "fk_account_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_account_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "account_tokens"`);
  }
}
