import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports of private messages and reaching out (issue 14), moderation's part:
 * - `moderation_contexts`: the messages around a reported private message, copied at the first report;
 * - `reach_outs`: the care conversation a moderator opened from a queue item (one per item);
 * - `reach_out_settings`: the admin's starter text of care conversations (one row; none: the default text).
 *
 * Generated; the generator's unrelated churn (the articles' jsonb defaults it always re-reads) is left out. The
 * target types of reports, queue items and audit entries are widened by WiderTargetTypes (conversations).
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
    await queryRunner.query(`DROP TABLE "moderation_contexts"`);
    await queryRunner.query(`DROP TABLE "reach_out_settings"`);
    await queryRunner.query(`DROP TABLE "reach_outs"`);
  }
}
