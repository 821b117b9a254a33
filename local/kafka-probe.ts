/**
 * A real Kafka health check without a client library: one Metadata request (API key 3, version 1, supported
 * by every 4.x broker) over a plain TCP connection. Healthy means the broker answered with itself as a broker
 * and a known controller, i.e. KRaft has elected a leader and the broker serves requests.
 */
import { connect } from 'node:net';

export interface KafkaMetadata {
  brokers: { nodeId: number; host: string; port: number }[];
  controllerId: number;
}

function encodeRequest(correlationId: number): Buffer {
  const clientId = Buffer.from('pipec-local', 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(1, o); // api version 1: an empty topic array asks for no topics, which keeps it cheap
  o = body.writeInt32BE(correlationId, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  body.writeInt32BE(0, o); // empty topics array
  const frame = Buffer.alloc(4);
  frame.writeInt32BE(body.length);
  return Buffer.concat([frame, body]);
}

function decodeResponse(buf: Buffer, correlationId: number): KafkaMetadata {
  let o = 0;
  const cid = buf.readInt32BE(o);
  o += 4;
  if (cid !== correlationId) throw new Error(`correlation id ${cid} != ${correlationId}`);
  const n = buf.readInt32BE(o);
  o += 4;
  const brokers: KafkaMetadata['brokers'] = [];
  for (let i = 0; i < n; i++) {
    const nodeId = buf.readInt32BE(o);
    o += 4;
    const hostLen = buf.readInt16BE(o);
    o += 2;
    const host = buf.toString('utf8', o, o + hostLen);
    o += hostLen;
    const port = buf.readInt32BE(o);
    o += 4;
    const rackLen = buf.readInt16BE(o);
    o += 2 + Math.max(0, rackLen);
    brokers.push({ nodeId, host, port });
  }
  const controllerId = buf.readInt32BE(o);
  return { brokers, controllerId };
}

export function kafkaMetadata(host: string, port: number, timeoutMs = 3000): Promise<KafkaMetadata> {
  return new Promise((resolvePromise, reject) => {
    const correlationId = Math.floor(Math.random() * 1_000_000);
    const socket = connect({ host, port });
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no Metadata answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (err: Error | undefined, md?: KafkaMetadata): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else if (md) resolvePromise(md);
    };
    socket.once('connect', () => socket.write(encodeRequest(correlationId)));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4) return;
      const size = data.readInt32BE(0);
      if (data.length < 4 + size) return;
      try {
        done(undefined, decodeResponse(data.subarray(4, 4 + size), correlationId));
      } catch (e) {
        done(e as Error);
      }
    });
    socket.once('error', (e) => done(e));
    socket.once('close', () => done(new Error(`connection to ${host}:${port} closed before a Metadata answer`)));
  });
}
