import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports of private messages and reaching out (issue 14), moderation's part:
 * - `moderation_contexts`: the messages around a reported private message, copied at the first report;
 * - `reach_outs`: the care conversation a moderator opened from a queue item (one per item);
 * - `reach_out_settings`: the admin's starter text of care conversations (one row; none: the default text);
 * - the target type of reports, queue items and audit entries widened to 32 (`conversation_message` is 20).
 *
 * Generated, then edited: TypeORM widens a varchar by dropping and re-adding the column (losing every row, and the
 * audit log's append-only trigger would refuse it); `ALTER COLUMN ... TYPE` widens it in place, without a rewrite.
 * The generator's unrelated churn (the articles' jsonb defaults it always re-reads) is left out.
 */
export class ConversationReportsAndReachOut1796506181162 implements MigrationInterface {
  name = 'ConversationReportsAndReachOut1796506181162';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reach_outs" ("item_id" bigint NOT NULL, "conversation_id" bigint, "moderator_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_reach_outs" PRIMARY KEY ("item_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reach_out_settings" ("id" smallint NOT NULL DEFAULT '1', "starter_text" text NOT NULL, "updated_by" bigint, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_reach_out_settings_one_row" CHECK ("id" = 1), CONSTRAINT "pk_reach_out_settings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "moderation_contexts" ("item_id" bigint NOT NULL, "messages" jsonb NOT NULL, "captured_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_moderation_contexts_messages" CHECK (jsonb_typeof("messages") = 'array'), CONSTRAINT "pk_moderation_contexts" PRIMARY KEY ("item_id"))`,
    );
    for (const table of ['reports', 'moderation_items', 'audit_log']) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "target_type" TYPE character varying(32)`);
    }
    await queryRunner.query(
      `ALTER TABLE "reach_outs" ADD CONSTRAINT "fk_reach_outs_item" FOREIGN KEY ("item_id") REFERENCES "moderation_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reach_outs" ADD CONSTRAINT "fk_reach_outs_moderator" FOREIGN KEY ("moderator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reach_out_settings" ADD CONSTRAINT "fk_reach_out_settings_updated_by" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_contexts" ADD CONSTRAINT "fk_moderation_contexts_item" FOREIGN KEY ("item_id") REFERENCES "moderation_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_contexts" DROP CONSTRAINT "fk_moderation_contexts_item"`);
    await queryRunner.query(`ALTER TABLE "reach_out_settings" DROP CONSTRAINT "fk_reach_out_settings_updated_by"`);
    await queryRunner.query(`ALTER TABLE "reach_outs" DROP CONSTRAINT "fk_reach_outs_moderator"`);
    await queryRunner.query(`ALTER TABLE "reach_outs" DROP CONSTRAINT "fk_reach_outs_item"`);
    // Back to 16: rows about private messages (20 characters) must go first, as the earlier schema cannot hold them.
    await queryRunner.query(`DELETE FROM "reports" WHERE length("target_type") > 16`);
    await queryRunner.query(`DELETE FROM "moderation_items" WHERE length("target_type") > 16`);
    for (const table of ['reports', 'moderation_items']) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "target_type" TYPE character varying(16)`);
    }
    // The audit log stays at 32: it is append-only (its entries about private messages stay), and the wider column
    // holds every earlier entry as it was.
    await queryRunner.query(`DROP TABLE "moderation_contexts"`);
    await queryRunner.query(`DROP TABLE "reach_out_settings"`);
    await queryRunner.query(`DROP TABLE "reach_outs"`);
  }
}
