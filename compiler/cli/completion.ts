/**
 * `pipec completion bash|zsh`: a shell completion script, made from the program's own commands and options, so
 * it cannot fall behind them. Install: `pipec completion bash > ~/.local/share/bash-completion/completions/pipec`,
 * or for zsh `pipec completion zsh > "${fpath[1]}/_pipec"`.
 */
import type { Command } from 'commander';
import { LOCAL_COMMANDS, LOCAL_OPTIONS } from '../../local/cli-words.ts';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** Every command path (`check`, `schemas pull`) with its options' long and short flags. */
export function completionTable(root: Command): { readonly command: string; readonly flags: readonly string[] }[] {
  const table: { command: string; flags: string[] }[] = [];
  const visit = (c: Command, prefix: string): void => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`;
      table.push({ command: name, flags: [...sub.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)), '--help'] });
      visit(sub, `${name} `);
    }
  };
  visit(root, '');
  return table;
}

const LOCAL_WORDS = [...LOCAL_COMMANDS, ...LOCAL_OPTIONS].join(' ');

export function completionScript(shell: Shell, root: Command): string {
  const table = completionTable(root);
  const top = table.filter((t) => !t.command.includes(' ')).map((t) => t.command);
  // The candidates for the command being completed, in `$candidates` (zsh's own `words` must stay untouched).
  const cases = table.map((t) => `    '${t.command}') candidates='${t.command === 'local' ? LOCAL_WORDS : [...table.filter((s) => s.command.startsWith(`${t.command} `)).map((s) => s.command.split(' ').at(-1)), ...t.flags].join(' ')}' ;;`).join('\n');
  const body = `  local cmd="\${COMP_WORDS[1]}" candidates=''
  if [ "\${COMP_WORDS[1]}" = schemas ] && [ "\${COMP_CWORD}" -gt 2 ]; then cmd="schemas \${COMP_WORDS[2]}"; fi
  case "$cmd" in
${cases}
  esac`;
  switch (shell) {
    case 'bash':
      return `# pipec completion for bash: pipec completion bash > ~/.local/share/bash-completion/completions/pipec
_pipec() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W '${top.join(' ')} --help --version' -- "$cur") )
    return
  fi
${body}
  if [[ "$cur" == -* || -n "$candidates" && "$cur" != */* ]]; then
    COMPREPLY=( $(compgen -W "$candidates" -- "$cur") )
  fi
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=( $(compgen -f -- "$cur") )
}
complete -o filenames -F _pipec pipec
`;
    case 'zsh':
      return `#compdef pipec
# pipec completion for zsh: pipec completion zsh > "\${fpath[1]}/_pipec"
_pipec() {
  if (( CURRENT == 2 )); then
    compadd -- ${top.join(' ')} --help --version
    return
  fi
  # As bash numbers them: COMP_WORDS[1] is the command, COMP_CWORD the word being completed.
  local -a COMP_WORDS=("\${words[@]:1}")
  local COMP_CWORD=$((CURRENT - 1))
${body}
  compadd -- \${=candidates}
  _files
}
_pipec "$@"
`;
  }
}
