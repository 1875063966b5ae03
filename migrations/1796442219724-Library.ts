import { MigrationInterface, QueryRunner } from 'typeorm';

export class Library1796442219724 implements MigrationInterface {
  name = 'Library1796442219724';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "support_lines" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "country" character(2) NOT NULL, "kind" character varying(20) NOT NULL, "name" character varying(120) NOT NULL, "phone" character varying(30) NOT NULL, "hours" character varying(120) NOT NULL DEFAULT '', "url" character varying(500), "position" integer NOT NULL DEFAULT '0', "needs_review" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_support_lines_phone" CHECK (phone ~ '^[0-9+() -]{2,30}$'), CONSTRAINT "ck_support_lines_kind" CHECK (kind IN ('crisis', 'nurse')), CONSTRAINT "ck_support_lines_country" CHECK (country ~ '^[A-Z]{2}$'), CONSTRAINT "PK_e0f862650cadb0c519a2de01731" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_support_lines_country" ON "support_lines" ("country", "kind", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "site_pages" ("key" character varying(20) NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_site_pages_key" CHECK ("key" IN ('about', 'privacy', 'terms', 'contact')), CONSTRAINT "PK_91d3c4544893aa6bc9be46be9ee" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "articles" ("key" character varying(100) NOT NULL, "title" character varying(200) NOT NULL, "summary" character varying(300) NOT NULL, "body" text NOT NULL, "reviewers" jsonb NOT NULL DEFAULT '[]'::jsonb, "reviewed_on" date, "next_review_on" date, "sources" jsonb NOT NULL DEFAULT '[]'::jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_articles_review_dates" CHECK (next_review_on IS NULL OR reviewed_on IS NULL OR next_review_on > reviewed_on), CONSTRAINT "ck_articles_sources" CHECK (jsonb_typeof(sources) = 'array'), CONSTRAINT "ck_articles_reviewers" CHECK (jsonb_typeof(reviewers) = 'array'), CONSTRAINT "ck_articles_key" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{1,99}$'), CONSTRAINT "PK_9607dce96e014f61b196a4cf6b0" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "articles"`);
    await queryRunner.query(`DROP TABLE "site_pages"`);
    await queryRunner.query(`DROP INDEX "public"."ix_support_lines_country"`);
    await queryRunner.query(`DROP TABLE "support_lines"`);
  }
}
