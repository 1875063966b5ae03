import { MigrationInterface, QueryRunner } from 'typeorm';

export class Subscriptions1796430200000 implements MigrationInterface {
  name = 'Subscriptions1796430200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "subscriptions" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" bigint, "address" character varying(320), "subscriber" character varying(80) NOT NULL, "target_type" character varying(12) NOT NULL, "target_id" bigint NOT NULL, "frequency" character varying(12) NOT NULL, "time_zone" character varying(64), "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirm_hash" character varying(64), "confirm_expires_at" TIMESTAMP WITH TIME ZONE, "confirm_sent_at" TIMESTAMP WITH TIME ZONE, "last_digest_period" character varying(16), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_subscriptions_who" CHECK (("user_id" IS NULL) <> ("address" IS NULL)), CONSTRAINT "ck_subscriptions_frequency" CHECK ("frequency" IN ('immediately', 'daily', 'weekly')), CONSTRAINT "ck_subscriptions_target_type" CHECK ("target_type" IN ('page', 'category', 'thread', 'newsletter')), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_subscriptions_user" ON "subscriptions" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_subscriptions_confirm_hash" ON "subscriptions" ("confirm_hash") `);
    await queryRunner.query(
      `CREATE INDEX "ix_subscriptions_target" ON "subscriptions" ("target_type", "target_id", "frequency") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_subscriptions_subscriber_target" ON "subscriptions" ("subscriber", "target_type", "target_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "subscription_activity" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "content_type" character varying(12) NOT NULL, "content_id" bigint NOT NULL, "target_type" character varying(12) NOT NULL, "target_id" bigint NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_subscription_activity_content_type" CHECK ("content_type" IN ('thread', 'post', 'comment')), CONSTRAINT "PK_c3e2ea280dd7d38caacc86c5bce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_subscription_activity_target" ON "subscription_activity" ("target_type", "target_id", "published_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_subscription_activity_content" ON "subscription_activity" ("content_type", "content_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "fk_subscriptions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP CONSTRAINT "fk_subscriptions_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_subscription_activity_content"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscription_activity_target"`);
    await queryRunner.query(`DROP TABLE "subscription_activity"`);
    await queryRunner.query(`DROP INDEX "public"."ux_subscriptions_subscriber_target"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscriptions_target"`);
    await queryRunner.query(`DROP INDEX "public"."ux_subscriptions_confirm_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscriptions_user"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
  }
}
