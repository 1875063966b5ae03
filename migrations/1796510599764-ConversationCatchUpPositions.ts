import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversation catch-up that misses nothing, as the chat's: each message gets a place in its conversation's order
 * (`pos`) from the conversation's counter (`last_pos`), given by a trigger when it is stored and again whenever it
 * becomes published, so "after the last message I saw" also finds a message a moderator approved after newer ones.
 * The trigger's update of the conversation row serialises positions in commit order. Existing messages keep their
 * id as position (ids were already committed in order per conversation).
 */
export class ConversationCatchUpPositions1796510599764 implements MigrationInterface {
  name = 'ConversationCatchUpPositions1796510599764';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversations" ADD "last_pos" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "conversation_messages" ADD "pos" bigint`);
    await queryRunner.query(`UPDATE "conversation_messages" SET "pos" = "id"`);
    await queryRunner.query(
      `UPDATE "conversations" c SET "last_pos" = m.top
         FROM (SELECT conversation_id, max(pos) AS top FROM conversation_messages GROUP BY conversation_id) m
        WHERE m.conversation_id = c.id`,
    );
    await queryRunner.query(`ALTER TABLE "conversation_messages" ALTER COLUMN "pos" SET NOT NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_conversation_messages_pos" ON "conversation_messages" ("conversation_id", "pos") `,
    );
    await queryRunner.query(`
      CREATE FUNCTION conversation_message_position() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR (NEW.status = 'published' AND OLD.status IS DISTINCT FROM 'published') THEN
          UPDATE conversations SET last_pos = last_pos + 1 WHERE id = NEW.conversation_id RETURNING last_pos INTO NEW.pos;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER conversation_message_position BEFORE INSERT OR UPDATE OF status ON conversation_messages
         FOR EACH ROW EXECUTE FUNCTION conversation_message_position()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER conversation_message_position ON conversation_messages`);
    await queryRunner.query(`DROP FUNCTION conversation_message_position()`);
    await queryRunner.query(`DROP INDEX "public"."uq_conversation_messages_pos"`);
    await queryRunner.query(`ALTER TABLE "conversation_messages" DROP COLUMN "pos"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP COLUMN "last_pos"`);
  }
}
