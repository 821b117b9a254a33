/**
 * PostgreSQL from the machine's packages, as a private cluster in the stack folder (never the system
 * service), with logical replication on for Debezium. initdb refuses to run as root, so under root both
 * initdb and the server run as the `postgres` user.
 */
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from '../errors.ts';
import { execText } from '../proc.ts';
import type { LocalStackConfig } from '../../compiler/config/local-stack.ts';
import type { LaunchContext, ProcessDef, StackPaths } from './types.ts';

/** local.postgres.bin_dir, else the newest /usr/lib/postgresql/<v>/bin with a server in it (Debian's layout). */
export function postgresBinDir(config: LocalStackConfig): string | undefined {
  if (config.postgres.bin_dir) return config.postgres.bin_dir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/**
 * Where PostgreSQL's own files live when root starts the stack. The server then runs as the `postgres` user,
 * which may be unable to enter the project's folders (a checkout below a 0700 directory, as mktemp makes
 * them), so its data, socket and password file go below /var/tmp, one folder per stack, removed by `down`.
 */
export function postgresRoot(paths: StackPaths): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return join(VAR_TMP_ROOT, createHash('sha256').update(paths.root).digest('hex').slice(0, 16));
}

const VAR_TMP_ROOT = '/var/tmp/pipec-postgres';

function dataDir(paths: StackPaths): string {
  const root = postgresRoot(paths);
  return root ? join(root, 'data') : join(paths.data, 'postgres');
}

/** Unix sockets have a ~107-byte path limit; a deep stack folder falls back to /tmp. */
function socketDir(paths: StackPaths): string {
  const root = postgresRoot(paths);
  if (root) return join(root, 'socket');
  const dir = join(paths.run, 'postgres');
  return dir.length < 90 ? dir : join('/tmp', `pipec-pg-${Buffer.from(paths.root).toString('base64url').slice(-16)}`);
}

function owned(dir: string, ctx: LaunchContext): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (ctx.postgresUser) chownSync(dir, ctx.postgresUser.uid, ctx.postgresUser.gid);
}

async function psql(ctx: LaunchContext, sql: string, database = 'postgres'): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config } = ctx;
  return execText(join(ctx.postgresBin, 'psql'), ['-h', '127.0.0.1', '-p', String(config.ports.postgres), '-U', config.postgres.user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    env: { PGPASSWORD: config.postgres.password, PGCONNECT_TIMEOUT: '5' },
  });
}

export const postgres: ProcessDef = {
  name: 'postgres',
  ports: ['postgres'],
  dependsOn: [],
  // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients (Debezium) to disconnect.
  stopSignal: 'SIGINT',
  graceMs: 20_000,
  marker: (paths) => dataDir(paths),

  async prepare(ctx) {
    const { config, paths } = ctx;
    const data = dataDir(paths);
    const socket = socketDir(paths);
    const root = postgresRoot(paths);
    if (root) {
      // The shared parent must be traversable by the postgres user; each stack's folder is its own.
      mkdirSync(VAR_TMP_ROOT, { recursive: true, mode: 0o755 });
      owned(root, ctx);
    }
    owned(paths.data, ctx);
    owned(socket, ctx);
    const log = join(paths.logs, 'postgres.log');
    if (!existsSync(join(data, 'PG_VERSION'))) {
      owned(data, ctx);
      const pwfile = join(root ?? paths.run, 'pg-password');
      writeFileSync(pwfile, `${config.postgres.password}\n`, { mode: 0o600 });
      if (ctx.postgresUser) chownSync(pwfile, ctx.postgresUser.uid, ctx.postgresUser.gid);
      const r = await execText(
        join(ctx.postgresBin, 'initdb'),
        ['-D', data, '-U', config.postgres.user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C'],
        // Run from a folder the postgres user can enter (initdb changes back to its working directory).
        { timeoutMs: 120_000, cwd: root ?? paths.run, ...(ctx.postgresUser ?? {}) },
      );
      writeFileSync(log, `${r.stdout}${r.stderr}`, { flag: 'a' });
      if (r.code !== 0) {
        throw new LocalStackError('process-exited', `initdb failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, `see ${log}; the data folder must be writable by ${ctx.postgresUser ? 'the postgres user' : 'you'}`);
      }
    }
    if (ctx.postgresUser && existsSync(log)) chownSync(log, ctx.postgresUser.uid, ctx.postgresUser.gid);
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(config.ports.postgres),
      unix_socket_directories: socket,
      wal_level: 'logical',
      max_wal_senders: '10',
      max_replication_slots: '10',
      shared_buffers: `${config.memory_mb.postgres_shared_buffers}MB`,
      max_connections: '100',
      // A local sandbox: trade crash durability for speed.
      synchronous_commit: 'off',
      logging_collector: 'off',
    };
    return {
      command: join(ctx.postgresBin, 'postgres'),
      args: ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
      cwd: data,
      logFile: log,
      ...(ctx.postgresUser ?? {}),
    };
  },

  async afterHealthy(ctx) {
    const existing = await psql(ctx, 'SELECT datname FROM pg_database');
    if (existing.code !== 0) throw new LocalStackError('process-exited', `cannot query PostgreSQL: ${existing.stderr.trim()}`, 'see pipec local logs postgres');
    const have = new Set(existing.stdout.split('\n').map((s) => s.trim()));
    for (const db of ctx.config.postgres.databases) {
      if (have.has(db)) continue;
      const r = await psql(ctx, `CREATE DATABASE ${db}`);
      if (r.code !== 0) throw new LocalStackError('process-exited', `cannot create database ${db}: ${r.stderr.trim()}`, 'see pipec local logs postgres');
    }
  },

  checks(config) {
    return [
      {
        service: 'postgres',
        port: 'postgres',
        async probe() {
          const bin = postgresBinDir(config);
          const pgIsReady = bin && existsSync(join(bin, 'pg_isready')) ? join(bin, 'pg_isready') : 'pg_isready';
          const r = await execText(pgIsReady, ['-h', '127.0.0.1', '-p', String(config.ports.postgres), '-t', '3'], { timeoutMs: 5000 });
          return r.code === 0 ? undefined : r.stdout.trim() || `pg_isready exit ${r.code}`;
        },
      },
    ];
  },
};
