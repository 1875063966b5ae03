import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A thread's count of positions (`post_count`: every post in it, whatever its state), which numbered pages divide
 * into pages. Counting them on every page view cost a 5,000-post thread about half of its page statement. The
 * database keeps it: a trigger on posts adds one for an insert, takes one off for a delete, and moves one when a post
 * is moved to another thread (splitting a thread). Existing threads are counted once here.
 */
export class ThreadPostCount1796543896402 implements MigrationInterface {
  name = 'ThreadPostCount1796543896402';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "threads" ADD "post_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "threads" ADD CONSTRAINT "ck_threads_post_count" CHECK ("post_count" >= 0)`);
    await queryRunner.query(
      `UPDATE "threads" t SET "post_count" = n.count FROM (SELECT thread_id, count(*) AS count FROM posts GROUP BY thread_id) n
        WHERE n.thread_id = t.id`,
    );
    await queryRunner.query(`
      CREATE FUNCTION thread_post_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE threads SET post_count = post_count - 1 WHERE id = OLD.thread_id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          UPDATE threads SET post_count = post_count + 1 WHERE id = NEW.thread_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER thread_post_count AFTER INSERT OR DELETE ON posts
         FOR EACH ROW EXECUTE FUNCTION thread_post_count()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER thread_post_moved AFTER UPDATE OF thread_id ON posts
         FOR EACH ROW WHEN (OLD.thread_id IS DISTINCT FROM NEW.thread_id) EXECUTE FUNCTION thread_post_count()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER thread_post_moved ON posts`);
    await queryRunner.query(`DROP TRIGGER thread_post_count ON posts`);
    await queryRunner.query(`DROP FUNCTION thread_post_count()`);
    await queryRunner.query(`ALTER TABLE "threads" DROP CONSTRAINT "ck_threads_post_count"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "post_count"`);
  }
}
