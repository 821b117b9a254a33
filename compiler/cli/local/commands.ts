/**
 * `pipec local deploy`, `produce` and `tail`: the loop from a project to its output on the running local stack.
 * Each returns the exit code; failures are LocalStackErrors (message + what to do), printed by cli.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { text as readStream } from 'node:stream/consumers';
import { parse as parseYaml } from 'yaml';
import { runCheck } from '../commands.ts';
import { printer } from '../output.ts';
import { useColor } from '../style.ts';
import { displayPath } from '../../driver/project.ts';
import { escapeControls } from '../../diagnostics/user-text.ts';
import type { PipelinePlan } from '../../plan/plan.ts';
import { readDeployBuild } from '../../../deploy/build.ts';
import { StateResetRefused } from '../../../deploy/impl/job.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { isLocalStackError, LocalStackError } from '../../../local/errors.ts';
import { status, type LocalStackOptions } from '../../../local/index.ts';
import { consumeTopic, kafkaClient, produceRecords, withAdmin } from '../../../local/kafka-client.ts';
import { createDecoder, readableRow, rowLine } from './decode.ts';
import { deployLocal, type DeployEvent, type Outcome } from './deploy.ts';
import { deployStateFile, readDeployState } from './deploy-state.ts';
import { encodeRecords } from './encode.ts';
import { findSink, findSource, knownNames } from './targets.ts';
import type { ResetStart } from '../../../targets/flink-sql/reset-start.ts';

/** One line on stdout; names and values in it come from the user's files and records, so controls are escaped. */
function say(line: string): void {
  process.stdout.write(`${escapeControls(line)}\n`);
}

/** The endpoints of the running stack; a stack that is stopped or not healthy is an error saying what to do. */
async function runningEndpoints(opts: LocalStackOptions): Promise<LocalEndpoints> {
  const s = await status(opts);
  if (!s.running || !s.endpoints) throw new LocalStackError('not-running', `the local stack is not running (folder ${s.dir})`, 'start it with `pipec local up`');
  const bad = s.services.filter((x) => x.health !== 'healthy');
  if (bad.length > 0) throw new LocalStackError('not-running', `the local stack is not healthy: ${bad.map((x) => `${x.service} ${x.health}`).join(', ')}`, '`pipec local up` starts what is missing; `pipec local logs <service>` shows why one failed');
  return s.endpoints;
}

export interface DeployArgs {
  readonly paths: readonly string[];
  readonly env: string | undefined;
  readonly allowStateReset: boolean;
  readonly resetStart: ResetStart;
}

function eventLine(e: DeployEvent): string | undefined {
  if (e.kind === 'applied') return `  ${e.outcome.padEnd(9)} ${e.what}${e.note ? ` (${e.note})` : ''}`;
  // Jobs take a while (they must run stably); the rest is quick and reported once done.
  if (!e.what.startsWith('job ')) return undefined;
  switch (e.action) {
    case 'create':
      return `  starting  ${e.what}: waiting until every task runs and a first checkpoint completes…`;
    case 'update':
      return `  upgrading ${e.what}: stop with a savepoint, start the new plan from it, wait until it runs stably…`;
    case 'stop':
    case 'delete':
      return `  stopping  ${e.what} with a savepoint…`;
  }
}

function summary(counts: Readonly<Record<Outcome, number>>): string {
  const changed = (Object.entries(counts) as [Outcome, number][]).filter(([o, n]) => o !== 'unchanged' && n > 0);
  if (changed.length === 0) return `nothing changed: ${counts.unchanged} item${counts.unchanged === 1 ? '' : 's'} already deployed as built`;
  return `deployed: ${[...changed, ['unchanged', counts.unchanged] as const].filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', ')}`;
}

export async function runDeploy(opts: LocalStackOptions, args: DeployArgs): Promise<number> {
  const endpoints = await runningEndpoints(opts);
  const print = printer('human', process.stdout, process.stderr, { color: useColor(undefined, process.stderr) });
  let built: string | undefined;
  const code = await runCheck({ paths: args.paths, config: undefined, env: args.env, frozen: false, offline: false, out: undefined, print }, 'compile', (out) => {
    built = out;
  });
  print.finish();
  if (code !== 0 || built === undefined) return code === 0 ? 1 : code;
  say(`deploying ${displayPath(built)}/ to the local stack (${endpoints.dir})`);
  try {
    const result = await deployLocal({
      buildDir: built,
      endpoints,
      allowStateReset: args.allowStateReset,
      resetStart: args.resetStart,
      env: process.env,
      onEvent: (e) => {
        const line = eventLine(e);
        if (line) say(line);
      },
    });
    say(summary(result.counts));
    const plans = deployedPlans(endpoints) ?? [];
    const [source] = knownNames(plans, 'source');
    const [sink] = knownNames(plans, 'sink');
    if (source && sink) say(`next: pipec local produce ${source.split(' ')[0] ?? ''} rows.yaml; pipec local tail ${sink.split(' ')[0] ?? ''} --from-beginning`);
    return 0;
  } catch (e) {
    if (isLocalStackError(e)) throw e;
    if (e instanceof StateResetRefused) {
      throw new LocalStackError('deploy-failed', `deploy failed: ${e.message.slice(0, e.message.lastIndexOf('\n'))}`, 'keep the stateful part as it is, or run `pipec local deploy --allow-state-reset` to start the new job from empty state');
    }
    throw new LocalStackError('deploy-failed', `deploy failed: ${(e as Error).message}`, 'fix what it names and run `pipec local deploy` again (what was applied is kept); `pipec local logs flink` or `pipec local logs connect` shows the engines\' side');
  }
}

/** The pipelines of the build last deployed to this stack, or undefined when nothing is. */
function deployedPlans(endpoints: LocalEndpoints): PipelinePlan[] | undefined {
  const state = readDeployState(deployStateFile(endpoints.dir));
  if (!state) return undefined;
  try {
    return readDeployBuild(state.buildDir).items.flatMap((d) => (d.kind === 'job' ? [JSON.parse(d.plan) as PipelinePlan] : []));
  } catch {
    throw new LocalStackError('not-deployed', `the build last deployed (${state.buildDir}) can no longer be read`, 'run `pipec local deploy` again');
  }
}

async function topicExists(endpoints: LocalEndpoints, topic: string): Promise<boolean> {
  return (await withAdmin(kafkaClient(endpoints.kafkaBootstrap, 'pipec-local'), (admin) => admin.listTopics())).includes(topic);
}

/** Rows from YAML or JSON: a list of mappings, one mapping, or JSON Lines. */
export function parseRows(text: string, where: string): unknown[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { intAsBigInt: true });
  } catch (yamlError) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    try {
      return lines.map((l) => JSON.parse(l) as unknown);
    } catch {
      throw new LocalStackError('bad-record', `${where} is neither YAML nor JSON Lines: ${(yamlError as Error).message.split('\n')[0] ?? ''}`, 'write one row per record as in test files, e.g. `- { order_id: o-1, amount: 12.50 }`');
    }
  }
  if (doc === null || doc === undefined) return [];
  return Array.isArray(doc) ? doc : [doc];
}

export async function runProduce(opts: LocalStackOptions, name: string, file: string): Promise<number> {
  const endpoints = await runningEndpoints(opts);
  const plans = deployedPlans(endpoints);
  if (!plans) throw new LocalStackError('not-deployed', 'nothing is deployed on the local stack yet', 'run `pipec local deploy` in your project first');
  const shape = findSource(plans, name);
  if (!shape) throw new LocalStackError('unknown-topic', `no Kafka source or source topic ${name} in the deployed build (sources: ${knownNames(plans, 'source').join(', ') || 'none'})`, 'name a source of a deployed pipeline, or its topic; `pipec local deploy` deploys the project as it is now');
  if (!(await topicExists(endpoints, shape.topic))) throw new LocalStackError('unknown-topic', `topic ${shape.topic} of ${shape.what} does not exist on the local stack`, 'run `pipec local deploy`: it creates the topics your pipelines read');
  const where = file === '-' ? 'stdin' : file;
  const text = file === '-' ? await readStream(process.stdin) : await readFile(file, 'utf8').catch((e: unknown) => {
    throw new LocalStackError('bad-record', `cannot read ${file}: ${(e as Error).message}`, 'name a YAML or JSON file of rows, or - for stdin');
  });
  const rows = parseRows(text, where);
  if (rows.length === 0) throw new LocalStackError('bad-record', `${where} holds no records`, 'write one row per record as in test files, e.g. `- { order_id: o-1, amount: 12.50 }`');
  const records = await encodeRecords(rows, shape, new SchemaRegistryClient(endpoints.schemaRegistryUrl));
  await produceRecords(kafkaClient(endpoints.kafkaBootstrap, 'pipec-local-produce'), shape.topic, records);
  say(`produced ${records.length} record${records.length === 1 ? '' : 's'} to topic ${shape.topic} (${shape.what}, ${shape.value.format})`);
  return 0;
}

export interface TailArgs {
  readonly fromBeginning: boolean;
  readonly max: number | undefined;
}

export async function runTail(opts: LocalStackOptions, name: string, args: TailArgs): Promise<number> {
  const endpoints = await runningEndpoints(opts);
  const plans = deployedPlans(endpoints) ?? [];
  const shape = findSink(plans, name) ?? findSource(plans, name);
  const topic = shape?.topic ?? name;
  if (!(await topicExists(endpoints, topic))) {
    const known = knownNames(plans, 'sink');
    throw new LocalStackError('unknown-topic', `no topic ${topic} on the local stack${known.length > 0 ? ` (the deployed sinks: ${known.join(', ')})` : ''}`, 'name a sink or source of the deployed build, or a topic; `pipec local deploy` creates the topics of your pipelines');
  }
  process.stderr.write(`${escapeControls(`tailing topic ${topic}${shape ? ` (${shape.what})` : ''}, ${args.fromBeginning ? 'from the beginning' : 'new records only'}${args.max ? `, until ${args.max} records` : ''}; Ctrl-C stops`)}\n`);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const decode = createDecoder(new SchemaRegistryClient(endpoints.schemaRegistryUrl));
  let seen = 0;
  try {
    await consumeTopic(kafkaClient(endpoints.kafkaBootstrap, 'pipec-local-tail'), topic, {
      groupId: `pipec-local-tail-${randomBytes(4).toString('hex')}`,
      fromBeginning: args.fromBeginning,
      signal: stop.signal,
      onRecord: async (record) => {
        const value = readableRow(await decode(record.value), shape);
        say(rowLine(value, await decode(record.key), record));
        seen += 1;
        return args.max !== undefined && seen >= args.max ? 'stop' : undefined;
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
