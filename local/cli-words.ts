/**
 * The commands and options of `pipec local`, in the order its usage lists them: compiler/cli/local/cli.ts parses them, and
 * `pipec --help` and the shell completion name them without loading the local stack's code.
 */
export const LOCAL_COMMANDS = ['up', 'down', 'status', 'logs', 'deploy', 'produce', 'tail'] as const;
export type LocalCommand = (typeof LOCAL_COMMANDS)[number];

export const LOCAL_OPTIONS = ['--flink', '--config', '--lines', '--env', '--allow-state-reset', '--reset-start', '--from-beginning', '--max', '--help'] as const;
