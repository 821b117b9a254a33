/**
 * Text Flink's FROM_BASE64 decodes without failing: it uses Java's basic Base64 decoder, which takes whole units of
 * four alphabet characters, then a last unit of two or three with its padding or without, and nothing after the
 * padding; anything else (another character, a line break, one lone character) fails the job. Checked against
 * java.util.Base64.getDecoder() on Java 17.
 */
const DECODABLE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function isDecodableBase64(text: string): boolean {
  return DECODABLE.test(text);
}
