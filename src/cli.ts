import 'reflect-metadata';
import { runCli } from './cli/cli';
import { ConfigError } from './config/config';

runCli(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `haven cli: ${(err as Error)?.message ?? err}`);
    process.exit(1);
  });
