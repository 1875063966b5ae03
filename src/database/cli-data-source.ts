import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { dataSourceOptions } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * The data source the TypeORM CLI loads (`npm run migration:generate|run|revert`): DATABASE_URL, or the embedded
 * server under DATA_DIR (shared with a running Haven, or started for the command and stopped when it exits).
 */
async function cliDataSource(): Promise<DataSource> {
  const config = loadConfig();
  const url = config.databaseUrl ?? (await startEmbeddedPostgres({ dataDir: config.dataDir, shareRunning: true })).url;
  return new DataSource(dataSourceOptions(url));
}

export const dataSource = cliDataSource();
