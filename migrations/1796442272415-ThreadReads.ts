import { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadReads1796442272415 implements MigrationInterface {
  name = 'ThreadReads1796442272415';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "thread_reads" ("user_id" bigint NOT NULL, "thread_id" bigint NOT NULL, "last_read_post_id" bigint NOT NULL, "last_read_post_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_21fb598bdd8f46af57ee725b172" PRIMARY KEY ("user_id", "thread_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "thread_reads" ADD CONSTRAINT "fk_thread_reads_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "thread_reads" ADD CONSTRAINT "fk_thread_reads_thread" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "thread_reads" DROP CONSTRAINT "fk_thread_reads_thread"`);
    await queryRunner.query(`ALTER TABLE "thread_reads" DROP CONSTRAINT "fk_thread_reads_user"`);
    await queryRunner.query(`DROP TABLE "thread_reads"`);
  }
}
