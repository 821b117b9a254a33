/**
 * Process plumbing for the local stack, Linux only (it reads /proc): start detached services, tell whether a
 * recorded pid is still ours, stop by pid, measure memory, and name whoever holds a port.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { createServer } from 'node:net';

export interface StartSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  logFile: string;
  /** Run as this user (used for PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** Starts a process in its own session, detached from ours, with stdout and stderr appended to its log. */
export function startDetached(spec: StartSpec): number {
  const fd = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function execText(cmd: string, args: string[], options: { timeoutMs?: number; uid?: number; gid?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(
      cmd,
      args,
      {
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, ...options.env },
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.uid !== undefined ? { uid: options.uid } : {}),
        ...(options.gid !== undefined ? { gid: options.gid } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export async function commandExists(cmd: string): Promise<boolean> {
  const r = await execText('sh', ['-c', `command -v ${cmd}`]);
  return r.code === 0 && r.stdout.trim().length > 0;
}

export function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The pid is alive and still runs our command (guards against pid reuse after a crash or reboot). */
export function isOurs(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  const cl = cmdline(pid);
  return cl !== undefined && cl.includes(marker);
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) kids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return kids;
}

function statusKb(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory in MiB: the process's RSS plus the private (anonymous) RSS of its children. For a JVM that is
 * plain RSS; for PostgreSQL's process family it avoids counting shared buffers once per backend.
 */
export function rssMb(pid: number): number | undefined {
  if (!isAlive(pid)) return undefined;
  let kb = statusKb(pid, 'VmRSS');
  for (const child of childrenOf(pid)) kb += statusKb(child, 'RssAnon');
  return Math.round(kb / 1024);
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends `first` (SIGTERM unless told), waits up to graceMs, then SIGKILL. Returns how it ended. */
export async function stopPid(pid: number, graceMs: number, first: NodeJS.Signals = 'SIGTERM'): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  signal(pid, first);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(200);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 25 && isAlive(pid); i++) await sleep(200);
  return 'killed';
}

/** True when nothing listens on 127.0.0.1:port (binding fails on a wildcard listener too). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/** "java (pid 1234)" for whoever listens on the port, when `ss` can tell. */
export async function portHolder(port: number): Promise<string | undefined> {
  if (!existsSync('/usr/bin/ss') && !existsSync('/bin/ss') && !existsSync('/usr/sbin/ss')) return undefined;
  const r = await execText('ss', ['-ltnpH', `sport = :${port}`]);
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(r.stdout);
  if (!m) return undefined;
  const pid = Number(m[2]);
  const cl = cmdline(pid);
  return `${m[1]} (pid ${pid}${cl ? `: ${cl.slice(0, 120)}` : ''})`;
}

export function memAvailableMb(): number | undefined {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return m?.[1] ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The last `lines` lines of a log, reading at most its last 512 KiB. */
export function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const length = Math.min(size, 512 * 1024);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const all = buf.toString('utf8').split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}
