import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../shared/local/ports.ts';
import { type DebianCluster, psqlAsPostgres } from './database.ts';

const exec = promisify(execFile);

/**
 * The seed stack (FastAPI + SQLAlchemy, a reconstruction of what the original team built),
 * run from its own folder (../shared/peer-seed-stack by default; never copied in here) the way
 * its run.sh runs it: Debian's python3 packages, database `seedstack` on the Debian
 * PostgreSQL cluster seeded by its seed.sql, `uvicorn app:app --workers 2 --no-access-log`.
 * Unlike run.sh it installs nothing: missing packages make it unavailable, with the reason.
 */
export interface Peer {
  dir: string;
  versions: string;
  /** The exact feed SQL the ORM emits (literal binds, as psycopg2 sends it). */
  feedSql(skip: number, limit: number): Promise<string>;
  databaseUrl: string;
  /** A public, ready video 1 000 rows into the feed (as run.sh picks it). */
  videoId: string;
  seeded: { reused: boolean; ms: number; videos: number };
  start(): Promise<PeerServer>;
}

export interface PeerServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const PY = '/usr/bin/python3'; // Debian's Python, where the python3-* packages live
const ROLE = 'seedstack';
const MODULES = ['fastapi', 'uvicorn', 'sqlalchemy', 'psycopg2', 'uvloop', 'httptools'];

const psqlAdmin = (cluster: DebianCluster, sql: string) => psqlAsPostgres(cluster.port, sql);

/** The peer, set up and seeded; or why it cannot run here. */
export async function setUpPeer(
  dir: string,
  cluster: DebianCluster | string,
  opts: { reseed: boolean; log: (l: string) => void },
): Promise<Peer | string> {
  if (!existsSync(join(dir, 'app.py')) || !existsSync(join(dir, 'seed.sql'))) {
    return `no seed stack at ${dir} (app.py, seed.sql); set --peer-dir`;
  }
  if (typeof cluster === 'string') return cluster;
  if (!existsSync(PY)) return `${PY} not found (Debian's python3)`;
  try {
    await exec(PY, ['-c', `import ${MODULES.join(', ')}`]);
  } catch {
    return `Debian's python3 lacks ${MODULES.join('/')} (apt-get install ${MODULES.map((m) => `python3-${m}`).join(' ')})`;
  }

  // Role, database and data, as run.sh makes them.
  if (psqlAdmin(cluster, `SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`) !== '1') {
    psqlAdmin(cluster, `CREATE ROLE ${ROLE} LOGIN PASSWORD '${ROLE}'`);
  }
  if (psqlAdmin(cluster, `SELECT 1 FROM pg_database WHERE datname = '${ROLE}'`) !== '1') {
    psqlAdmin(cluster, `CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
  }
  const databaseUrl = `postgres://${ROLE}:${ROLE}@127.0.0.1:${cluster.port}/${ROLE}`;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const seeded = (await c.query<{ t: boolean }>(`SELECT to_regclass('public.videos') IS NOT NULL AS t`))
      .rows[0]!.t;
    let reused = seeded && !opts.reseed;
    const t0 = performance.now();
    if (!reused) {
      opts.log(`seed stack: seeding 100k users / 1M videos with its seed.sql…`);
      await exec(
        'psql',
        [
          '-X',
          '-q',
          '-h',
          '127.0.0.1',
          '-p',
          String(cluster.port),
          '-U',
          ROLE,
          '-d',
          ROLE,
          '-v',
          'ON_ERROR_STOP=1',
          '-f',
          join(dir, 'seed.sql'),
        ],
        {
          env: { ...process.env, PGPASSWORD: ROLE },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      reused = false;
    }
    const ms = performance.now() - t0;
    const videos = Number(
      (await c.query<{ n: string }>('SELECT count(*)::text AS n FROM videos')).rows[0]!.n,
    );
    const videoId = (
      await c.query<{ id: string }>(
        `SELECT id FROM videos WHERE status='ready' AND visibility='public'
         ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1`,
      )
    ).rows[0]!.id;
    const { stdout: versions } = await exec(PY, [
      '-c',
      `import sys, fastapi, starlette, pydantic, sqlalchemy, psycopg2, uvicorn, uvloop, httptools
print(f"Python {sys.version.split()[0]}, FastAPI {fastapi.__version__}, Starlette {starlette.__version__}, "
      f"Pydantic {pydantic.VERSION}, SQLAlchemy {sqlalchemy.__version__}, psycopg2 {psycopg2.__version__.split()[0]}, "
      f"uvicorn {uvicorn.__version__} (uvloop {uvloop.__version__}, httptools {httptools.__version__})")`,
    ]);
    const appEnv = {
      ...process.env,
      DATABASE_URL: `postgresql+psycopg2://${ROLE}:${ROLE}@127.0.0.1:${cluster.port}/${ROLE}`,
    };
    return {
      dir,
      versions: versions.trim(),
      databaseUrl,
      videoId,
      seeded: { reused, ms, videos },
      feedSql: async (skip, limit) =>
        (
          await exec(
            PY,
            [
              '-c',
              `import sys, app; from sqlalchemy.dialects import postgresql
print(app.feed_query(int(sys.argv[1]), int(sys.argv[2])).compile(
    dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))`,
              String(skip),
              String(limit),
            ],
            { cwd: dir, env: appEnv },
          )
        ).stdout.trim(),
      start: () => startUvicorn(dir, appEnv),
    };
  } finally {
    await c.end();
  }
}

async function startUvicorn(dir: string, env: NodeJS.ProcessEnv): Promise<PeerServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn(
    PY,
    [
      '-m',
      'uvicorn',
      'app:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      '2',
      '--no-access-log',
    ],
    { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  for (let i = 0; i < 150; i++) {
    if (proc.exitCode !== null) break;
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        pid: proc.pid!,
        stop: async () => {
          if (proc.exitCode === null) proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill('SIGKILL');
  throw new Error(`uvicorn did not start:\n${stderr}`);
}
