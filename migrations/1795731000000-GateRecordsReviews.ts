import { MigrationInterface, QueryRunner } from 'typeorm';

export class GateRecordsReviews1795731000000 implements MigrationInterface {
  name = 'GateRecordsReviews1795731000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_items" ADD "gate_reasons" jsonb NOT NULL DEFAULT '[]'`);
    // Entries written before the reasons were structured: their codes from the words the gate used to write.
    await queryRunner.query(
      `UPDATE "moderation_items" SET "gate_reasons" = coalesce((
         SELECT jsonb_agg(CASE
           WHEN r LIKE 'crisis words%' THEN jsonb_build_object('code', 'crisis')
           WHEN r LIKE 'also held words%' OR r LIKE 'watched word (hold)%' THEN jsonb_build_object('code', 'watched', 'action', 'hold')
           WHEN r LIKE 'watched word (flag)%' THEN jsonb_build_object('code', 'watched', 'action', 'flag')
           WHEN r LIKE 'spam signal%' THEN jsonb_build_object('code', 'spam')
           WHEN r = 'guest comment' THEN jsonb_build_object('code', 'approval', 'policy', 'guest')
           WHEN r LIKE 'this place requires%' THEN jsonb_build_object('code', 'approval', 'policy', 'all')
           ELSE jsonb_build_object('code', 'approval', 'policy', 'new_member') END)
         FROM unnest("reasons") AS r), '[]'::jsonb)
       WHERE cardinality("reasons") > 0`,
    );
    await queryRunner.query(`ALTER TABLE "posts" ADD "held_reasons" jsonb`);
    for (const table of ['posts', 'comments']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "pending_body" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "pending_body_html" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "pending_reasons" jsonb`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "pending_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "ck_${table}_pending_edit" CHECK (("pending_body" IS NULL) = ("pending_body_html" IS NULL) AND ("pending_body" IS NULL) = ("pending_at" IS NULL))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['comments', 'posts']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "ck_${table}_pending_edit"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "pending_at"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "pending_reasons"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "pending_body_html"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "pending_body"`);
    }
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "held_reasons"`);
    await queryRunner.query(`ALTER TABLE "moderation_items" DROP COLUMN "gate_reasons"`);
  }
}
