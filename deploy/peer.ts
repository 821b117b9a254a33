/**
 * `pipec/deploy` runs inside a Pulumi program, whose packages the program brings: `@pulumi/pulumi` (and for
 * Confluent Cloud `@pulumi/confluentcloud`) are optional peer dependencies, so installing pipec for its command
 * does not pull them in. An entry point checks for them before it loads anything that imports them, so a missing
 * one is a sentence saying what to install, not Node's ERR_MODULE_NOT_FOUND from deep inside.
 */
export class MissingPeerDependency extends Error {
  override readonly name = 'MissingPeerDependency';
}

export function requirePeers(entry: string, peers: readonly string[]): void {
  const missing = peers.filter((peer) => {
    try {
      import.meta.resolve(peer);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  throw new MissingPeerDependency(`${entry} needs ${missing.join(' and ')} in your Pulumi program's dependencies (optional peer dependencies of pipec): npm install ${missing.join(' ')}`);
}
