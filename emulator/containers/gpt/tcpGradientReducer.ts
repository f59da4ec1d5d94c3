// The gradient reduction across the hosts of a training job, over TCP. The hosts form a ring (each
// connects to the next, rank r → r + 1, the last to the first), and a step goes once and a half
// around it: host 0 folds its shards and sends the partial sum to host 1, which continues the fold
// with its own shards (in global shard order) and passes it on; the last host holds the total and
// sends it on around the ring to every other host. Every host thus gets the very sum that one host
// folding all the shards would get, bit for bit. The stop requests of the hosts travel with the sums,
// so all hosts stop after the same step.
import * as net from 'node:net';
import { foldShards, type AddKernel, type GradientReducer, type ReducedStep, type StepContribution } from './gradientReduction';

export interface HostRing {
  /** This host's position in the ring, 0 … addresses.length − 1 (host 0 holds shards 0…). */
  rank: number;
  /** Listening address `host:port` of every host, by rank. */
  addresses: readonly string[];
}

const enum FrameKind { Partial = 1, Total = 2 }
/** kind (1 byte) + stop requested (1 byte) + loss sum (float64) + gradient (float32 × n). */
const FRAME_HEADER = 10;
const CONNECT_RETRY_MS = 50;

function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`a host address is host:port, got "${address}"`);
  }
  return { host: address.slice(0, colon), port };
}

/** Reads fixed-size frames from a socket. */
class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private waiting: { size: number; resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.deliver();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the previous host closed the gradient connection')));
  }

  read(size: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting = { size, resolve, reject };
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiting) {
      return;
    }
    if (this.buffered >= this.waiting.size) {
      const all = Buffer.concat(this.chunks);
      const frame = all.subarray(0, this.waiting.size);
      this.chunks.length = 0;
      this.chunks.push(all.subarray(this.waiting.size));
      this.buffered -= this.waiting.size;
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve(frame);
    } else if (this.failure) {
      this.waiting.reject(this.failure);
      this.waiting = undefined;
    }
  }
}

export interface TcpReducerOptions {
  startStep?: number;
  timeoutMs?: number;
  /** Where the sum is folded (e.g. in the SIMD kernels' memory); by default a new array. */
  gradient?: Float32Array;
  kernels?: AddKernel;
}

export class TcpGradientReducer implements GradientReducer {
  private constructor(
    private readonly ring: HostRing,
    private readonly gradient: Float32Array,
    private readonly kernels: AddKernel | undefined,
    private readonly server: net.Server,
    private readonly next: net.Socket,
    private readonly previousSocket: net.Socket,
    private readonly previous: FrameReader,
  ) {}

  /**
   * Listens at this host's address, connects to the next host (retrying until it listens) and waits for
   * the previous one. Each host tells the next the step it starts from, so that a host resuming from
   * another checkpoint than the others (or from none) fails here rather than mixing in other gradients.
   */
  static async connect(ring: HostRing, parameterCount: number, { startStep = 0, timeoutMs = 120_000, gradient, kernels }: TcpReducerOptions = {}): Promise<TcpGradientReducer> {
    if (gradient && gradient.length !== parameterCount) {
      throw new RangeError(`a gradient of ${gradient.length} values for ${parameterCount} parameters`);
    }
    const hosts = ring.addresses.length;
    if (hosts < 2 || !Number.isInteger(ring.rank) || ring.rank < 0 || ring.rank >= hosts) {
      throw new RangeError(`a ring needs at least two hosts and a rank among them, got rank ${ring.rank} of ${hosts}`);
    }
    const deadline = Date.now() + timeoutMs;
    const own = parseAddress(ring.addresses[ring.rank]);
    const server = net.createServer();
    const incoming = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const sockets: net.Socket[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(own.port, own.host, resolve);
      });
      const next = await connectWithRetry(parseAddress(ring.addresses[(ring.rank + 1) % hosts]), deadline);
      sockets.push(next);
      next.setNoDelay(true);
      const hello = Buffer.alloc(8);
      hello.writeUInt32LE(ring.rank);
      hello.writeUInt32LE(startStep, 4);
      next.write(hello);
      const previousSocket = await beforeDeadline(incoming, deadline, 'the previous host did not connect');
      sockets.push(previousSocket);
      const previous = new FrameReader(previousSocket);
      const previousHello = await beforeDeadline(previous.read(8), deadline, 'the previous host did not introduce itself');
      const previousRank = previousHello.readUInt32LE();
      if (previousRank !== (ring.rank + hosts - 1) % hosts) {
        throw new Error(`expected host ${(ring.rank + hosts - 1) % hosts} to connect, got host ${previousRank}`);
      }
      const previousStep = previousHello.readUInt32LE(4);
      if (previousStep !== startStep) {
        throw new Error(
          `host ${ring.rank} starts at step ${startStep} but host ${previousRank} at step ${previousStep}: every host must resume from the same checkpoint`,
        );
      }
      return new TcpGradientReducer(ring, gradient ?? new Float32Array(parameterCount), kernels, server, next, previousSocket, previous);
    } catch (error) {
      sockets.forEach((socket) => socket.destroy());
      server.close();
      throw error;
    }
  }

  async reduce(local: StepContribution): Promise<ReducedStep> {
    const { rank } = this.ring;
    const last = this.ring.addresses.length - 1;
    let lossSum = 0;
    let stopRequested = local.stopRequested;
    if (rank === 0) {
      this.gradient.fill(0);
    } else {
      const partial = await this.receive(FrameKind.Partial);
      lossSum = partial.lossSum;
      stopRequested ||= partial.stopRequested;
    }
    lossSum = foldShards(this.gradient, lossSum, local, this.kernels);
    if (rank === last) {
      this.send(FrameKind.Total, lossSum, stopRequested);
      return { gradient: this.gradient, lossSum, stopRequested };
    }
    this.send(FrameKind.Partial, lossSum, stopRequested);
    const total = await this.receive(FrameKind.Total);
    if (rank + 1 < last) {
      this.send(FrameKind.Total, total.lossSum, total.stopRequested);
    }
    return { gradient: this.gradient, lossSum: total.lossSum, stopRequested: total.stopRequested };
  }

  async close(): Promise<void> {
    this.next.end();
    this.previousSocket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Sends this.gradient with the header; the bytes are copied, as the gradient changes before they are flushed. */
  private send(kind: FrameKind, lossSum: number, stopRequested: boolean): void {
    const frame = Buffer.allocUnsafe(FRAME_HEADER + this.gradient.byteLength);
    frame.writeUInt8(kind, 0);
    frame.writeUInt8(stopRequested ? 1 : 0, 1);
    frame.writeDoubleLE(lossSum, 2);
    frame.set(new Uint8Array(this.gradient.buffer, this.gradient.byteOffset, this.gradient.byteLength), FRAME_HEADER);
    this.next.write(frame);
  }

  /** Receives a frame into this.gradient. */
  private async receive(kind: FrameKind): Promise<{ lossSum: number; stopRequested: boolean }> {
    const frame = await this.previous.read(FRAME_HEADER + this.gradient.byteLength);
    if (frame.readUInt8(0) !== kind) {
      throw new Error(`expected a ${kind === FrameKind.Partial ? 'partial' : 'total'} gradient from the previous host`);
    }
    new Uint8Array(this.gradient.buffer, this.gradient.byteOffset, this.gradient.byteLength).set(frame.subarray(FRAME_HEADER));
    return { lossSum: frame.readDoubleLE(2), stopRequested: frame.readUInt8(1) === 1 };
  }
}

async function connectWithRetry(address: { host: string; port: number }, deadline: number): Promise<net.Socket> {
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(address.port, address.host);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`could not reach the next host at ${address.host}:${address.port}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }
}

function beforeDeadline<T>(promise: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
