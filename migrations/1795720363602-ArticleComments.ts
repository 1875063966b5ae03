import { MigrationInterface, QueryRunner } from 'typeorm';

export class ArticleComments1795720363602 implements MigrationInterface {
  name = 'ArticleComments1795720363602';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "key" character varying(100) NOT NULL, "title" character varying(200) NOT NULL, "url" character varying(2000) NOT NULL, "reviewer" character varying(200), "editor" character varying(200), "disclaimer" text, "comment_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_pages_key" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{1,99}$'), CONSTRAINT "PK_8f21ed625aa34c8391d636b7d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_pages_key" ON "pages" ("key") `);
    await queryRunner.query(
      `CREATE TABLE "page_ratings" ("page_id" bigint NOT NULL, "user_id" bigint NOT NULL, "stars" smallint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_page_ratings_stars" CHECK ("stars" BETWEEN 1 AND 5), CONSTRAINT "PK_71caef086b26dff28cb57f22f9e" PRIMARY KEY ("page_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "page_id" bigint NOT NULL, "parent_id" bigint, "root_id" bigint, "depth" smallint NOT NULL DEFAULT '1', "author_id" bigint, "author_name" character varying(64), "author_email" character varying(254), "ip_hash" character varying(64), "body" text NOT NULL, "body_html" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'published', "held_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_comments_body_length" CHECK (char_length("body") BETWEEN 1 AND 5000), CONSTRAINT "ck_comments_author" CHECK ("author_id" IS NOT NULL OR "author_name" IS NOT NULL), CONSTRAINT "ck_comments_depth" CHECK ("depth" BETWEEN 1 AND 3), CONSTRAINT "ck_comments_status" CHECK ("status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_comments_author" ON "comments" ("author_id") `);
    await queryRunner.query(`CREATE INDEX "ix_comments_root" ON "comments" ("root_id", "id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_comments_page_roots" ON "comments" ("page_id", "id") WHERE "parent_id" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "page_ratings" ADD CONSTRAINT "fk_page_ratings_page" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "page_ratings" ADD CONSTRAINT "fk_page_ratings_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "fk_comments_page" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "fk_comments_parent" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "fk_comments_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "fk_comments_author"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "fk_comments_parent"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "fk_comments_page"`);
    await queryRunner.query(`ALTER TABLE "page_ratings" DROP CONSTRAINT "fk_page_ratings_user"`);
    await queryRunner.query(`ALTER TABLE "page_ratings" DROP CONSTRAINT "fk_page_ratings_page"`);
    await queryRunner.query(`DROP INDEX "public"."ix_comments_page_roots"`);
    await queryRunner.query(`DROP INDEX "public"."ix_comments_root"`);
    await queryRunner.query(`DROP INDEX "public"."ix_comments_author"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TABLE "page_ratings"`);
    await queryRunner.query(`DROP INDEX "public"."uq_pages_key"`);
    await queryRunner.query(`DROP TABLE "pages"`);
  }
}
