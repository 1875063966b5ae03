import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catch-up that misses nothing: every chat message gets a place in its room's order (`pos`) from the room's counter
 * (`last_pos`), given by a trigger when it is stored and again whenever it becomes published, so "after the last
 * message I saw" also finds a message approved or restored after newer ones were sent. The trigger's update of the
 * room row also serialises positions in commit order. Existing messages keep their id as position (ids were already
 * committed in order per room).
 */
export class ChatCatchUpPositions1796506876938 implements MigrationInterface {
  name = 'ChatCatchUpPositions1796506876938';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chat_rooms" ADD "last_pos" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "chat_messages" ADD "pos" bigint`);
    await queryRunner.query(`UPDATE "chat_messages" SET "pos" = "id"`);
    await queryRunner.query(
      `UPDATE "chat_rooms" r SET "last_pos" = m.top FROM (SELECT room_id, max(pos) AS top FROM chat_messages GROUP BY room_id) m
        WHERE m.room_id = r.id`,
    );
    await queryRunner.query(`ALTER TABLE "chat_messages" ALTER COLUMN "pos" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_messages_room_pos" ON "chat_messages" ("room_id", "pos") `);
    await queryRunner.query(`
      CREATE FUNCTION chat_message_position() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR (NEW.status = 'published' AND OLD.status IS DISTINCT FROM 'published') THEN
          UPDATE chat_rooms SET last_pos = last_pos + 1 WHERE id = NEW.room_id RETURNING last_pos INTO NEW.pos;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER chat_message_position BEFORE INSERT OR UPDATE OF status ON chat_messages
         FOR EACH ROW EXECUTE FUNCTION chat_message_position()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER chat_message_position ON chat_messages`);
    await queryRunner.query(`DROP FUNCTION chat_message_position()`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_messages_room_pos"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP COLUMN "pos"`);
    await queryRunner.query(`ALTER TABLE "chat_rooms" DROP COLUMN "last_pos"`);
  }
}
