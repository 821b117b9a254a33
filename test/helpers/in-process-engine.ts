/**
 * Runs a Pulumi program's pipec resources through the real dynamic providers, in this process, the way the
 * Pulumi engine does on `pulumi up`: for each resource the program registers, `check` (olds vs news), then
 * `create`, or `diff` and — if it changed — `update` (or delete + create when a replaced property changed);
 * resources of the previous round the program no longer registers are deleted, dependents first.
 *
 * Why not the engine itself: the Pulumi CLI and its Node.js language host cannot be built in CI here (see
 * deploy/README.md), so the integration tests drive the component and its providers with the SDK's mock
 * monitor as the registration channel. Everything below the provider interface — Kafka, the registry, Connect,
 * Flink — is the real local stack. Registration order is the SDK's: a resource is registered only after the
 * resources it depends on have resolved, as under the engine.
 */
import * as pulumi from '@pulumi/pulumi';
import { connectorProvider, jobProvider, stateGuardProvider, subjectProvider, topicProvider } from '../../deploy/providers.ts';

type Props = Record<string, unknown>;
type Provider = pulumi.dynamic.ResourceProvider<Props, Props>;

const PROVIDERS: Readonly<Record<string, Provider>> = {
  'pulumi-nodejs:dynamic/pipec:KafkaTopic': topicProvider as unknown as Provider,
  'pulumi-nodejs:dynamic/pipec:RegistrySubject': subjectProvider as unknown as Provider,
  'pulumi-nodejs:dynamic/pipec:Connector': connectorProvider as unknown as Provider,
  'pulumi-nodejs:dynamic/pipec:FlinkJob': jobProvider as unknown as Provider,
  'pulumi-nodejs:dynamic/pipec:JobStateGuard': stateGuardProvider as unknown as Provider,
};

export type StepOp = 'create' | 'update' | 'replace' | 'same' | 'delete';

export interface Step {
  readonly name: string;
  readonly type: string;
  readonly op: StepOp;
}

interface Stored {
  readonly type: string;
  readonly id: string;
  readonly inputs: Props;
  readonly outs: Props;
  readonly seq: number;
}

const SECRET_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** The mock monitor hands over inputs as serialized: secrets in their envelope, the provider as a string. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Props;
  if (o[SECRET_KEY] === SECRET_SIG && 'value' in o) return plain(o['value']);
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== '__provider').map(([k, v]) => [k, plain(v)]));
}

export class InProcessEngine {
  private readonly state = new Map<string, Stored>();
  private seq = 0;

  /** The outputs of a resource as the last round left them, by resource name. */
  outputs(name: string): Props | undefined {
    return this.state.get(name)?.outs;
  }

  /**
   * One `pulumi up`: runs `program` (which constructs resources), applies every step, deletes what the program
   * no longer declares, and returns the steps. The first failing step fails the round: steps that depend on it
   * are not run, and nothing is deleted.
   */
  async up(program: () => unknown): Promise<Step[]> {
    const steps: Step[] = [];
    const failures: Error[] = [];
    const pending: Promise<unknown>[] = [];
    const seen = new Set<string>();
    pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          const run = this.step(a.type, a.name, plain(a.inputs) as Props, steps, seen, failures);
          pending.push(run);
          return run;
        },
        call: (a) => a.inputs as Props,
      },
      'pipec-it',
      'it',
      false,
    );
    program();
    // Dependents register only once their dependencies resolved: drain until no new registration arrives.
    for (let settled = -1; settled !== pending.length; ) {
      settled = pending.length;
      await Promise.allSettled(pending);
      await new Promise((r) => setTimeout(r, 250));
    }
    if (failures.length > 0) throw new AggregateError(failures, `pulumi up failed: ${failures.map((f) => f.message).join('\n')}`);
    const gone = [...this.state.entries()].filter(([name]) => !seen.has(name)).sort(([, a], [, b]) => b.seq - a.seq);
    for (const [name, stored] of gone) {
      await this.provider(stored.type).delete?.(stored.id, stored.outs);
      this.state.delete(name);
      steps.push({ name, type: stored.type, op: 'delete' });
    }
    return steps;
  }

  /** `pulumi destroy`: every resource, dependents first. */
  async destroy(): Promise<Step[]> {
    return this.up(() => undefined);
  }

  private provider(type: string): Provider {
    const p = PROVIDERS[type];
    if (!p) throw new Error(`no provider for ${type}`);
    return p;
  }

  private async step(type: string, name: string, news: Props, steps: Step[], seen: Set<string>, failures: Error[]): Promise<{ id: string; state: Props }> {
    seen.add(name);
    const old = this.state.get(name);
    // After a failure the engine starts nothing new; the resource keeps what it had.
    if (failures.length > 0) return { id: old?.id ?? `${name}-not-created`, state: old?.outs ?? news };
    if (!type.startsWith('pulumi-nodejs:dynamic/')) return { id: `${name}-id`, state: news };
    try {
      const provider = this.provider(type);
      const checked = (await provider.check?.(old?.inputs ?? {}, news)) ?? { inputs: news };
      if (checked.failures && checked.failures.length > 0) throw new Error(`${name}: ${checked.failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join('; ')}`);
      const inputs = checked.inputs ?? news;
      const record = (id: string, outs: Props, op: StepOp): { id: string; state: Props } => {
        // Stamped when the step completes, which is after the steps it depends on: deleting in reverse
        // stamp order deletes dependents first, as the engine does.
        this.state.set(name, { type, id, inputs, outs, seq: (this.seq += 1) });
        steps.push({ name, type, op });
        return { id, state: outs };
      };
      if (!old) {
        const created = await provider.create(inputs);
        return record(created.id, created.outs ?? {}, 'create');
      }
      const diff = (await provider.diff?.(old.id, old.outs, inputs)) ?? { changes: true };
      if (!diff.changes) return record(old.id, old.outs, 'same');
      if ((diff.replaces ?? []).length > 0) {
        await provider.delete?.(old.id, old.outs);
        const created = await provider.create(inputs);
        return record(created.id, created.outs ?? {}, 'replace');
      }
      const updated = await provider.update?.(old.id, old.outs, inputs);
      return record(old.id, updated?.outs ?? old.outs, 'update');
    } catch (e) {
      failures.push(e instanceof Error ? e : new Error(String(e)));
      return { id: old?.id ?? `${name}-failed`, state: old?.outs ?? news };
    }
  }
}
