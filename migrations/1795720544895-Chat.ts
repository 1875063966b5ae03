import { MigrationInterface, QueryRunner } from 'typeorm';

export class Chat1795720544895 implements MigrationInterface {
  name = 'Chat1795720544895';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "chat_rooms" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "slug" character varying(64) NOT NULL, "name" character varying(80) NOT NULL, "description" text NOT NULL DEFAULT '', "kind" character varying(16) NOT NULL DEFAULT 'open', "starts_at" TIMESTAMP WITH TIME ZONE, "ends_at" TIMESTAMP WITH TIME ZONE, "slow_mode_seconds" integer NOT NULL DEFAULT '0', "approval" character varying(16) NOT NULL DEFAULT 'none', "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_message_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_chat_rooms_slow_mode" CHECK ("slow_mode_seconds" BETWEEN 0 AND 3600), CONSTRAINT "ck_chat_rooms_window" CHECK (("kind" = 'open' AND "starts_at" IS NULL AND "ends_at" IS NULL) OR ("kind" = 'session' AND "starts_at" IS NOT NULL AND "ends_at" > "starts_at")), CONSTRAINT "ck_chat_rooms_approval" CHECK ("approval" IN ('none', 'new_members', 'all')), CONSTRAINT "ck_chat_rooms_kind" CHECK ("kind" IN ('open', 'session')), CONSTRAINT "ck_chat_rooms_slug" CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]{1,63}$'), CONSTRAINT "PK_c69082bd83bffeb71b0f455bd59" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_rooms_slug" ON "chat_rooms" ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "chat_restrictions" ("room_id" bigint NOT NULL, "user_id" bigint NOT NULL, "kind" character varying(8) NOT NULL, "until" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_chat_restrictions_kind" CHECK ("kind" IN ('mute', 'kick')), CONSTRAINT "PK_d86ae53fd2d31d03912fbaec574" PRIMARY KEY ("room_id", "user_id", "kind"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "chat_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "room_id" bigint NOT NULL, "author_id" bigint NOT NULL, "client_id" character varying(64) NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'published', "held_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_chat_messages_client_id" CHECK ("client_id" ~ '^[A-Za-z0-9_-]{1,64}$'), CONSTRAINT "ck_chat_messages_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000), CONSTRAINT "ck_chat_messages_status" CHECK ("status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')), CONSTRAINT "PK_40c55ee0e571e268b0d3cd37d10" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_chat_messages_author" ON "chat_messages" ("author_id") `);
    await queryRunner.query(`CREATE INDEX "ix_chat_messages_room" ON "chat_messages" ("room_id", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_chat_messages_client" ON "chat_messages" ("room_id", "author_id", "client_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_rooms" ADD CONSTRAINT "fk_chat_rooms_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_restrictions" ADD CONSTRAINT "fk_chat_restrictions_room" FOREIGN KEY ("room_id") REFERENCES "chat_rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_restrictions" ADD CONSTRAINT "fk_chat_restrictions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_restrictions" ADD CONSTRAINT "fk_chat_restrictions_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "fk_chat_messages_room" FOREIGN KEY ("room_id") REFERENCES "chat_rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "fk_chat_messages_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "fk_chat_messages_author"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "fk_chat_messages_room"`);
    await queryRunner.query(`ALTER TABLE "chat_restrictions" DROP CONSTRAINT "fk_chat_restrictions_created_by"`);
    await queryRunner.query(`ALTER TABLE "chat_restrictions" DROP CONSTRAINT "fk_chat_restrictions_user"`);
    await queryRunner.query(`ALTER TABLE "chat_restrictions" DROP CONSTRAINT "fk_chat_restrictions_room"`);
    await queryRunner.query(`ALTER TABLE "chat_rooms" DROP CONSTRAINT "fk_chat_rooms_created_by"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_messages_client"`);
    await queryRunner.query(`DROP INDEX "public"."ix_chat_messages_room"`);
    await queryRunner.query(`DROP INDEX "public"."ix_chat_messages_author"`);
    await queryRunner.query(`DROP TABLE "chat_messages"`);
    await queryRunner.query(`DROP TABLE "chat_restrictions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_rooms_slug"`);
    await queryRunner.query(`DROP TABLE "chat_rooms"`);
  }
}
