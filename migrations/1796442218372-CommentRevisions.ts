import { MigrationInterface, QueryRunner } from 'typeorm';

export class CommentRevisions1796442218372 implements MigrationInterface {
  name = 'CommentRevisions1796442218372';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_revisions" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "comment_id" bigint NOT NULL, "body" text NOT NULL, "edited_by" bigint, "reason" character varying(500), "written_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc0332e55296986d300413ff053" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_comment_revisions_comment" ON "comment_revisions" ("comment_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "comment_revisions" ADD CONSTRAINT "fk_comment_revisions_comment" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_revisions" ADD CONSTRAINT "fk_comment_revisions_editor" FOREIGN KEY ("edited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comment_revisions" DROP CONSTRAINT "fk_comment_revisions_editor"`);
    await queryRunner.query(`ALTER TABLE "comment_revisions" DROP CONSTRAINT "fk_comment_revisions_comment"`);
    await queryRunner.query(`DROP INDEX "public"."ix_comment_revisions_comment"`);
    await queryRunner.query(`DROP TABLE "comment_revisions"`);
  }
}
