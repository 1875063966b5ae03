import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Private conversations (issue 14): conversations, their participants (read mark, leaving, and the latest
 * activity kept per participant so a member's list is one index scan), messages (idempotent by the sender's client
 * id) and each member's consent setting. `conversations (created_by, created_at)` counts the daily limit. The
 * moderation queue and reports accept `conversation_message` targets.
 */
export class Conversations1796505382208 implements MigrationInterface {
  name = 'Conversations1796505382208';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "conversations" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "kind" character varying(8) NOT NULL, "created_by" bigint, "from_team" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_conversations_kind" CHECK ("kind" IN ('direct', 'group', 'care')), CONSTRAINT "pk_conversations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversations_created_by" ON "conversations" ("created_by", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "conversation_settings" ("user_id" bigint NOT NULL, "accept" character varying(8) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_conversation_settings_accept" CHECK ("accept" IN ('everyone', 'known', 'nobody')), CONSTRAINT "pk_conversation_settings" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "conversation_participants" ("conversation_id" bigint NOT NULL, "user_id" bigint NOT NULL, "last_read_id" bigint NOT NULL DEFAULT '0', "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_conversation_participants" PRIMARY KEY ("conversation_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversation_participants_list" ON "conversation_participants" ("user_id", "last_activity_at", "conversation_id") WHERE "left_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "conversation_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "conversation_id" bigint NOT NULL, "author_id" bigint NOT NULL, "client_id" character varying(64) NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'published', "held_reason" text, "from_team" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_conversation_messages_client_id" CHECK ("client_id" ~ '^[A-Za-z0-9_-]{1,64}$'), CONSTRAINT "ck_conversation_messages_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000), CONSTRAINT "ck_conversation_messages_status" CHECK ("status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')), CONSTRAINT "pk_conversation_messages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversation_messages_author" ON "conversation_messages" ("author_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversation_messages_conversation" ON "conversation_messages" ("conversation_id", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_conversation_messages_client" ON "conversation_messages" ("conversation_id", "author_id", "client_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "fk_conversations_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_settings" ADD CONSTRAINT "fk_conversation_settings_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "fk_conversation_participants_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "fk_conversation_participants_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_messages" ADD CONSTRAINT "fk_conversation_messages_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_messages" ADD CONSTRAINT "fk_conversation_messages_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // TypeORM does not see a changed check expression: the queue's and the reports' target types, by hand.
    for (const [table, name] of [
      ['moderation_items', 'ck_moderation_items_target'],
      ['reports', 'ck_reports_target'],
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" CHECK ("target_type" IN ('post', 'thread', 'comment', 'chat_message', 'conversation_message', 'user'))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, name] of [
      ['moderation_items', 'ck_moderation_items_target'],
      ['reports', 'ck_reports_target'],
    ]) {
      await queryRunner.query(`DELETE FROM "${table}" WHERE "target_type" = 'conversation_message'`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" CHECK ("target_type" IN ('post', 'thread', 'comment', 'chat_message', 'user'))`,
      );
    }
    await queryRunner.query(`ALTER TABLE "conversation_messages" DROP CONSTRAINT "fk_conversation_messages_author"`);
    await queryRunner.query(
      `ALTER TABLE "conversation_messages" DROP CONSTRAINT "fk_conversation_messages_conversation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" DROP CONSTRAINT "fk_conversation_participants_user"`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" DROP CONSTRAINT "fk_conversation_participants_conversation"`,
    );
    await queryRunner.query(`ALTER TABLE "conversation_settings" DROP CONSTRAINT "fk_conversation_settings_user"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "fk_conversations_created_by"`);
    await queryRunner.query(`DROP INDEX "public"."uq_conversation_messages_client"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversation_messages_conversation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversation_messages_author"`);
    await queryRunner.query(`DROP TABLE "conversation_messages"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversation_participants_list"`);
    await queryRunner.query(`DROP TABLE "conversation_participants"`);
    await queryRunner.query(`DROP TABLE "conversation_settings"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_created_by"`);
    await queryRunner.query(`DROP TABLE "conversations"`);
  }
}
