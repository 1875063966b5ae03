import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members' stories: role, subtype, year of diagnosis and country, each optional, with two choices (show it on the
 * profile to members; let members with the same subtype find her). The checks hold the vocabularies.
 */
export class MemberStories1796443080593 implements MigrationInterface {
  name = 'MemberStories1796443080593';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "member_stories" ("user_id" bigint NOT NULL, "role" character varying(16), "subtype" character varying(16), "diagnosis_year" smallint, "country" character(2), "shown" boolean NOT NULL DEFAULT false, "findable" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_member_stories_findable_subtype" CHECK (NOT "findable" OR "subtype" IS NOT NULL), CONSTRAINT "ck_member_stories_country" CHECK ("country" ~ '^[A-Z]{2}$'), CONSTRAINT "ck_member_stories_year" CHECK ("diagnosis_year" BETWEEN 1950 AND 2100), CONSTRAINT "ck_member_stories_subtype" CHECK ("subtype" IN ('hr_positive', 'her2_positive', 'triple_negative', 'other')), CONSTRAINT "ck_member_stories_role" CHECK ("role" IN ('patient', 'carer', 'bereaved')), CONSTRAINT "pk_member_stories" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_member_stories_findable" ON "member_stories" ("subtype", "user_id") WHERE "findable"`,
    );
    await queryRunner.query(
      `ALTER TABLE "member_stories" ADD CONSTRAINT "fk_member_stories_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member_stories" DROP CONSTRAINT "fk_member_stories_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_member_stories_findable"`);
    await queryRunner.query(`DROP TABLE "member_stories"`);
  }
}
