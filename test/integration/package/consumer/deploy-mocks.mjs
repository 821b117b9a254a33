// A user's Pulumi program, in plain JavaScript, run by package.test.ts inside a project that installed pipec
// from its tarball: deploys a build under Pulumi mocks, then runs one serialized provider the way Pulumi's
// dynamic provider host does. Prints one JSON line for the test to judge.
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';

const created = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      created.push({ type: a.type, inputs: a.inputs });
      return { id: `${a.name}_id`, state: a.inputs };
    },
    call: (a) => a.inputs,
  },
  'consumer',
  'dev',
  false,
);

// Imported after setMocks, as Pulumi requires.
const { PipelineStack } = await import('pipec/deploy');
const stack = new PipelineStack('lendwell', {
  buildDir: process.argv[2],
  kafka: { bootstrapServers: 'kafka:9092' },
  registry: { url: 'http://registry:8085/apis/ccompat/v7' },
  connect: { url: 'http://connect:8083' },
  flink: { sqlGatewayUrl: 'http://gateway:8083', restUrl: 'http://flink:8081', planDir: 'file:///plans' },
  // The connectors' Avro converter (Apicurio's) needs the registry's core API root: without it the deploy is refused.
  values: { 'registry.apicurio_url': 'http://registry:8085/apis/registry/v2' },
});
// Every resource is registered (the mock called) once its urn is known.
await Promise.all([...stack.resources.values()].map((r) => new Promise((resolve) => r.urn.apply(resolve))));

const dynamic = created.filter((c) => c.type.startsWith('pulumi-nodejs:dynamic/pipec:'));
const subject = dynamic.find((c) => c.type === 'pulumi-nodejs:dynamic/pipec:RegistrySubject' && c.inputs.schemaType === 'AVRO');
if (!subject) throw new Error('no Avro subject in the build');
// What Pulumi's dynamic provider host does with the serialized provider (cmd/dynamic-provider/index.js).
const requireFromString = createRequire(createRequire(import.meta.url).resolve('@pulumi/pulumi'))('require-from-string');
const provider = requireFromString(subject.inputs.__provider).handler();
const respaced = { ...subject.inputs, schema: JSON.stringify(JSON.parse(subject.inputs.schema), null, 2) };
const other = { ...subject.inputs, schema: '"string"' };

console.log(JSON.stringify({
  resources: [...stack.resources.keys()],
  types: dynamic.map((c) => c.type),
  serializedProvider: subject.inputs.__provider,
  diffRespaced: await provider.diff('id', subject.inputs, respaced),
  diffOther: await provider.diff('id', subject.inputs, other),
}));
