/**
 * Colour on terminals. `--color` / `--no-color` decide; else `NO_COLOR` (any non-empty value) turns it off and
 * `FORCE_COLOR` (other than `0`) turns it on (https://no-color.org, https://force-color.org); else colour when the
 * stream is a terminal.
 */
import { styleText } from 'node:util';

export type Style = (format: Parameters<typeof styleText>[0], text: string) => string;

export function useColor(flag: boolean | undefined, stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '') return env['FORCE_COLOR'] !== '0';
  return (stream as { isTTY?: boolean }).isTTY === true;
}

export function style(color: boolean): Style {
  // The decision is made above; styleText must not second-guess it from the stream or the environment.
  return color ? (format, text) => styleText(format, text, { validateStream: false }) : (_format, text) => text;
}
