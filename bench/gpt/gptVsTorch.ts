// `node out/bench/gptVsTorch.js`: the built-in GPT against PyTorch on the CPU — what a user would run
// instead — on the same model (vocab 512, 4 layers, 4 heads, width 128, context 128, batch 8, AdamW,
// fp32) with the same thread count (1 and 2), in alternating rounds so that both see the same machine
// load; and the SIMD matmul against OpenBLAS's sgemm (through torch) on the model's shapes, 1 thread.
// PyTorch is Debian's python3-torch with libopenblas0-pthread as its BLAS: when they are missing the
// bench installs them (apt-get install -y, as root) and says so; where it cannot, it says why and
// skips, exiting 0. Debian's interpreter is /usr/bin/python3 (a python3 on PATH may be another one).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { BENCH_BATCH, BENCH_MODEL, MatmulTimer, printTable, ratioRow, trainingRig, type Row } from './gptRigs';

const PYTHON = '/usr/bin/python3';
const DEBIAN_PACKAGES = ['python3-torch', 'libopenblas0-pthread'];
const ROUNDS = 5;
const STEPS_PER_ROUND = 2;
/** (m, k, n) of the model's products over a whole batch of 8 × 128 rows, and over one sequence. */
const MATMUL_SHAPES: Array<[number, number, number]> = [[1024, 128, 384], [1024, 128, 512], [1024, 512, 128], [128, 128, 512]];

/** The same model in PyTorch: reads commands on stdin (`train <steps>`, `matmul <m> <k> <n> <ms>`), answers one number a line. */
const TORCH_SCRIPT = String.raw`
import math, sys, time, torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1]))
V, L, H, W, C, B = ${BENCH_MODEL.vocabSize}, ${BENCH_MODEL.layers}, ${BENCH_MODEL.heads}, ${BENCH_MODEL.width}, ${BENCH_MODEL.context}, ${BENCH_BATCH}
causal = torch.triu(torch.ones(C, C, dtype=torch.bool), 1)
class Block(nn.Module):
    def __init__(s):
        super().__init__()
        s.n1, s.qkv, s.o = nn.LayerNorm(W), nn.Linear(W, 3 * W), nn.Linear(W, W)
        s.n2, s.up, s.down = nn.LayerNorm(W), nn.Linear(W, 4 * W), nn.Linear(4 * W, W)
    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = (y.view(b, t, H, W // H).transpose(1, 2) for y in s.qkv(s.n1(x)).split(W, dim=2))
        if hasattr(F, 'scaled_dot_product_attention'):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            a = ((q @ k.transpose(-2, -1)) / math.sqrt(W // H)).masked_fill(causal[:t, :t], float('-inf')).softmax(-1) @ v
        x = x + s.o(a.transpose(1, 2).reshape(b, t, W))
        return x + s.down(F.gelu(s.up(s.n2(x)), approximate='tanh'))
class GPT(nn.Module):
    def __init__(s):
        super().__init__()
        s.tok, s.pos = nn.Embedding(V, W), nn.Embedding(C, W)
        s.blocks, s.norm = nn.ModuleList([Block() for _ in range(L)]), nn.LayerNorm(W)
    def forward(s, idx, targets):
        x = s.tok(idx) + s.pos(torch.arange(idx.shape[1]))
        for block in s.blocks:
            x = block(x)
        return F.cross_entropy((s.norm(x) @ s.tok.weight.t()).reshape(-1, V), targets.reshape(-1))
torch.manual_seed(1)
model = GPT()
decayed = [p for p in model.parameters() if p.dim() >= 2]
others = [p for p in model.parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{'params': decayed, 'weight_decay': 0.1}, {'params': others, 'weight_decay': 0.0}], lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
data = torch.randint(0, V, (B, C + 1))
def step():
    loss = model(data[:, :-1], data[:, 1:])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
step()
print('ready torch', torch.__version__, flush=True)
for line in sys.stdin:
    words = line.split()
    if words[0] == 'train':
        started = time.perf_counter()
        for _ in range(int(words[1])):
            step()
        print(int(words[1]) * B * C / (time.perf_counter() - started), flush=True)
    else:
        m, k, n, ms = map(int, words[1:])
        a, b = torch.rand(m, k), torch.rand(k, n)
        a @ b
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < ms / 1000:
            a @ b
            count += 1
        print(2 * m * k * n * count / (time.perf_counter() - started) / 1e9, flush=True)
`;

/** Debian packages not installed, by dpkg's word. */
function missingPackages(): string[] {
  return DEBIAN_PACKAGES.filter((name) => !/install ok installed/.test(spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout ?? ''));
}

/** Makes sure PyTorch with OpenBLAS is there; the reason it cannot be, otherwise. */
function ensureTorch(): string | undefined {
  if (spawnSync('dpkg-query', ['--version']).error) {
    return 'this is not a Debian system (no dpkg-query): python3-torch cannot be installed by the bench';
  }
  const missing = missingPackages();
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      return `${missing.join(', ')} missing, and only root installs them (apt-get install -y ${missing.join(' ')})`;
    }
    console.log(`bench: installing ${missing.join(', ')} with apt-get install -y (PyTorch for the CPU with OpenBLAS, the comparison's baseline)…`);
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (install.status !== 0) {
      return `apt-get install -y ${missing.join(' ')} failed (exit ${install.status}); run apt-get update, or install them by hand`;
    }
  }
  const check = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return check.status === 0 ? undefined : `${PYTHON} cannot import torch: ${(check.stderr ?? '').trim().split('\n').at(-1)}`;
}

/** A PyTorch process with the benchmark model, answering commands line by line. */
class TorchProcess {
  private readonly lines: Interface;
  private readonly pending: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  private exited: Error | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.resolve(line));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => {
      this.exited = new Error(`the torch process exited with code ${code}`);
      this.pending.splice(0).forEach(({ reject }) => reject(this.exited!));
    });
  }

  static async start(threads: number): Promise<{ torch: TorchProcess; version: string }> {
    // One BLAS thread pool of the asked size: OpenBLAS and OpenMP both read these.
    const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
    const torch = new TorchProcess(spawn(PYTHON, ['-c', TORCH_SCRIPT, String(threads)], { env }));
    const ready = await torch.next();
    return { torch, version: ready.replace(/^ready torch /, '') };
  }

  async ask(command: string): Promise<number> {
    const answer = this.next();
    this.child.stdin.write(`${command}\n`);
    const line = await answer;
    const value = Number(line);
    if (!Number.isFinite(value)) {
      throw new Error(`torch answered "${line}" to ${command}`);
    }
    return value;
  }

  close(): void {
    this.child.stdin.end();
    this.lines.close();
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.exited) {
        reject(this.exited);
      } else {
        this.pending.push({ resolve, reject });
      }
    });
  }
}

async function main(): Promise<void> {
  const skipped = ensureTorch();
  if (skipped) {
    console.log(`bench:gpt-vs-torch skipped: ${skipped}.`);
    return;
  }
  const rows: Row[] = [];
  let version = '';
  for (const threads of [1, 2]) {
    const started = await TorchProcess.start(threads);
    version = started.version;
    const ours = await trainingRig(threads);
    const figures = { ours: [] as number[], torch: [] as number[] };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating, and which goes first alternates too.
        const [first, second] = round % 2 === 0 ? ['ours', 'torch'] as const : ['torch', 'ours'] as const;
        for (const who of [first, second]) {
          figures[who].push(who === 'ours' ? await ours.tokensPerSecond(STEPS_PER_ROUND) : await started.torch.ask(`train ${STEPS_PER_ROUND}`));
        }
      }
    } finally {
      started.torch.close();
      await ours.close();
    }
    rows.push(ratioRow(`training tokens/s, ${threads} thread${threads > 1 ? 's' : ''} (batch ${BENCH_BATCH} × ${BENCH_MODEL.context}, AdamW, fp32)`,
      figures.ours, figures.torch, 'tokens/s', 'PyTorch + OpenBLAS', 0.5));
  }

  const { torch } = await TorchProcess.start(1);
  const timer = new MatmulTimer(Math.max(...MATMUL_SHAPES.map(([, k, n]) => k * (Math.ceil(n / 8) * 8))));
  try {
    for (const [m, k, n] of MATMUL_SHAPES) {
      const figures = { ours: [] as number[], sgemm: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        figures.ours.push(timer.gigaflops(false, 'A·B', m, k, n, 200));
        figures.sgemm.push(await torch.ask(`matmul ${m} ${k} ${n} 200`));
      }
      rows.push(ratioRow(`matmul A·B ${m}×${k}×${n}, 1 thread, SIMD`, figures.ours, figures.sgemm, 'GFLOP/s', 'OpenBLAS sgemm (torch)', 0.5, 1));
    }
  } finally {
    torch.close();
  }
  console.log(`PyTorch ${version} on ${PYTHON}, BLAS: ${spawnSync('update-alternatives', ['--query', 'libblas.so.3-x86_64-linux-gnu'], { encoding: 'utf8' }).stdout?.match(/^Value: (.*)$/m)?.[1] ?? 'unknown'}`);
  printTable(rows);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
