import { MigrationInterface, QueryRunner } from 'typeorm';

export class SetupTokens1796442265093 implements MigrationInterface {
  name = 'SetupTokens1796442265093';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "setup_tokens" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "token_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c0126c8e0a96d2587921ef73160" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_setup_tokens_hash" ON "setup_tokens" ("token_hash") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ux_setup_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "setup_tokens"`);
  }
}
