import { join } from 'node:path';

import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export const EMBEDDED_DATABASE_NAME = 'venture_crm';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database the app talks to: `DATABASE_URL` when set, otherwise an embedded PostgreSQL kept under
 * `DATA_DIR/postgres`, created on first start and reused afterwards. Sets `config.database.url`.
 */
export async function openDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<DatabaseServer> {
  if (!config.database.embedded) {
    return { url: config.database.url, embedded: false, stop: () => Promise.resolve() };
  }
  const server = new EmbeddedPostgres({
    dir: join(config.dataDir, 'postgres'),
    database: EMBEDDED_DATABASE_NAME,
    port: config.database.embeddedPort,
    log,
  });
  const url = await server.start();
  config.database.url = url;
  return { url, embedded: true, stop: () => server.stop() };
}
