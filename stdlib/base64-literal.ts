/**
 * Text Flink's FROM_BASE64 decodes without failing: it uses Java's basic Base64 decoder, which takes whole units of
 * four alphabet characters, then a last unit of two or three with its padding or without, and nothing after the
 * padding; anything else (another character, a line break, one lone character) fails the job. Checked against
 * java.util.Base64.getDecoder() on Java 17.
 */
const DECODABLE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** The diagnostic's sentence when the literal argument `param` is not decodable. */
export function base64LiteralProblem(param: string, text: string): string | undefined {
  if (DECODABLE.test(text)) return undefined;
  return `\`${param}\` is not base64 that Java's decoder takes (units of four characters of A–Z, a–z, 0–9, + and /, the last one padded with = or not), so the job would fail at its first row`;
}
