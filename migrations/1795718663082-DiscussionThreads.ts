import { MigrationInterface, QueryRunner } from 'typeorm';

export class DiscussionThreads1795718663082 implements MigrationInterface {
  name = 'DiscussionThreads1795718663082';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "data" jsonb NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_notifications_kind" CHECK ("kind" IN ('reply', 'mention', 'moderation')), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notifications_unread" ON "notifications" ("user_id") WHERE "read_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_notifications_user" ON "notifications" ("user_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "categories" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "slug" character varying(64) NOT NULL, "name" character varying(80) NOT NULL, "description" text NOT NULL DEFAULT '', "approval" character varying(16) NOT NULL DEFAULT 'new_members', "position" integer NOT NULL DEFAULT '0', "thread_count" integer NOT NULL DEFAULT '0', "post_count" integer NOT NULL DEFAULT '0', "last_post_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_categories_counts" CHECK ("thread_count" >= 0 AND "post_count" >= 0), CONSTRAINT "ck_categories_approval" CHECK ("approval" IN ('none', 'new_members', 'all')), CONSTRAINT "ck_categories_slug" CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]{1,63}$'), CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_categories_slug" ON "categories" ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "threads" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "category_id" bigint NOT NULL, "author_id" bigint NOT NULL, "title" character varying(150) NOT NULL, "anonymous" boolean NOT NULL DEFAULT false, "pinned" boolean NOT NULL DEFAULT false, "locked" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL DEFAULT 'published', "reply_count" integer NOT NULL DEFAULT '0', "first_post_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_post_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_threads_reply_count" CHECK ("reply_count" >= 0), CONSTRAINT "ck_threads_status" CHECK ("status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')), CONSTRAINT "PK_d8a74804c34fc3900502cd27275" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_threads_author" ON "threads" ("author_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_threads_list" ON "threads" ("category_id", "pinned", "last_post_at", "id") WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE TABLE "thread_subscriptions" ("thread_id" bigint NOT NULL, "user_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1c21aab8db46a17c35a370d7ade" PRIMARY KEY ("thread_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_thread_subscriptions_user" ON "thread_subscriptions" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "posts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "thread_id" bigint NOT NULL, "author_id" bigint NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "reply_to_id" bigint, "anonymous" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL DEFAULT 'published', "held_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_posts_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000), CONSTRAINT "ck_posts_status" CHECK ("status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_posts_reply_to" ON "posts" ("reply_to_id") WHERE "reply_to_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_posts_author" ON "posts" ("author_id", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_posts_thread" ON "posts" ("thread_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "post_revisions" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "post_id" bigint NOT NULL, "body" text NOT NULL, "edited_by" bigint, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_871219c3d5044d70ff7d59480b8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_post_revisions_post" ON "post_revisions" ("post_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "post_reactions" ("post_id" bigint NOT NULL, "user_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_post_reactions_kind" CHECK ("kind" IN ('support', 'hug', 'same', 'thanks')), CONSTRAINT "PK_d5cf6ca41768217312d9ee64e96" PRIMARY KEY ("post_id", "user_id", "kind"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_post_reactions_user" ON "post_reactions" ("user_id") `);
    await queryRunner.query(`ALTER TABLE "users" ADD "first_approved_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "threads" ADD CONSTRAINT "fk_threads_category" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "threads" ADD CONSTRAINT "fk_threads_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "thread_subscriptions" ADD CONSTRAINT "fk_thread_subscriptions_thread" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "thread_subscriptions" ADD CONSTRAINT "fk_thread_subscriptions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "fk_posts_thread" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "fk_posts_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "fk_posts_reply_to" FOREIGN KEY ("reply_to_id") REFERENCES "posts"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_revisions" ADD CONSTRAINT "fk_post_revisions_post" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_revisions" ADD CONSTRAINT "fk_post_revisions_editor" FOREIGN KEY ("edited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_reactions" ADD CONSTRAINT "fk_post_reactions_post" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_reactions" ADD CONSTRAINT "fk_post_reactions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Full-text search (declared `synchronize: false` on the entities): expression GIN indexes over published text.
    await queryRunner.query(
      `CREATE INDEX "ix_threads_search" ON "threads" USING gin (to_tsvector('english', "title")) WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_posts_search" ON "posts" USING gin (to_tsvector('english', "body")) WHERE "status" = 'published'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_posts_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_threads_search"`);
    await queryRunner.query(`ALTER TABLE "post_reactions" DROP CONSTRAINT "fk_post_reactions_user"`);
    await queryRunner.query(`ALTER TABLE "post_reactions" DROP CONSTRAINT "fk_post_reactions_post"`);
    await queryRunner.query(`ALTER TABLE "post_revisions" DROP CONSTRAINT "fk_post_revisions_editor"`);
    await queryRunner.query(`ALTER TABLE "post_revisions" DROP CONSTRAINT "fk_post_revisions_post"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "fk_posts_reply_to"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "fk_posts_author"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "fk_posts_thread"`);
    await queryRunner.query(`ALTER TABLE "thread_subscriptions" DROP CONSTRAINT "fk_thread_subscriptions_user"`);
    await queryRunner.query(`ALTER TABLE "thread_subscriptions" DROP CONSTRAINT "fk_thread_subscriptions_thread"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP CONSTRAINT "fk_threads_author"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP CONSTRAINT "fk_threads_category"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_user"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "first_approved_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_post_reactions_user"`);
    await queryRunner.query(`DROP TABLE "post_reactions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_post_revisions_post"`);
    await queryRunner.query(`DROP TABLE "post_revisions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_posts_thread"`);
    await queryRunner.query(`DROP INDEX "public"."ix_posts_author"`);
    await queryRunner.query(`DROP INDEX "public"."ix_posts_reply_to"`);
    await queryRunner.query(`DROP TABLE "posts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_thread_subscriptions_user"`);
    await queryRunner.query(`DROP TABLE "thread_subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_threads_list"`);
    await queryRunner.query(`DROP INDEX "public"."ix_threads_author"`);
    await queryRunner.query(`DROP TABLE "threads"`);
    await queryRunner.query(`DROP INDEX "public"."uq_categories_slug"`);
    await queryRunner.query(`DROP TABLE "categories"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notifications_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notifications_unread"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
