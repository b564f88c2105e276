// The most multiply-adds per second this browser's WebGPU does on the
// trainer's kind of work: Y = relu(X W), 3,200 rows (25 models x 128) of 32
// inputs and 32 outputs, each invocation a tile of R rows x C outputs held in
// vec4s (the GPU trainer's kernels use 8 x 8). Sets window.result.

const M = 3200, K = 32, N = 32;
// Dispatches timed per tile (`?reps=N`; the brief run in CI asks for few).
const REPS = Number(new URLSearchParams(location.search).get('reps') ?? 60);

function kernel(R, C4) {
  const acc = [], loads = [], body = [], stores = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C4; c++) acc.push(`var s${r}_${c} = vec4<f32>(0.0);`);
  for (let r = 0; r < R; r++) loads.push(`let a${r} = x[(row + ${r}u) * ${K / 4}u + k];`);
  for (let q = 0; q < 4; q++) {
    for (let c = 0; c < C4; c++) {
      body.push(`{ let w${q} = w[(4u * k + ${q}u) * ${N / 4}u + j + ${c}u];`);
      for (let r = 0; r < R; r++) body.push(`s${r}_${c} += a${r}[${q}] * w${q};`);
      body.push('}');
    }
  }
  for (let r = 0; r < R; r++) for (let c = 0; c < C4; c++) stores.push(`y[(row + ${r}u) * ${N / 4}u + j + ${c}u] = max(s${r}_${c}, vec4<f32>(0.0));`);
  return `
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  if (t >= ${(M / R) * (N / 4 / C4)}u) { return; }
  let j = (t % ${N / 4 / C4}u) * ${C4}u;
  let row = (t / ${N / 4 / C4}u) * ${R}u;
  ${acc.join('\n  ')}
  for (var k = 0u; k < ${K / 4}u; k++) {
    ${loads.join('\n    ')}
    ${body.join('\n    ')}
  }
  ${stores.join('\n  ')}
}`;
}

async function measure(device, buffers, R, C4) {
  const module = device.createShaderModule({ code: kernel(R, C4) });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const invocations = (M / R) * (N / 4 / C4);
  const run = async (reps) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    for (let i = 0; i < reps; i++) pass.dispatchWorkgroups(Math.ceil(invocations / 64));
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run(3);
  const start = performance.now();
  await run(REPS);
  const ms = (performance.now() - start) / REPS;
  return { tile: `${R}x${4 * C4}`, ms_per_dispatch: +ms.toFixed(3), gmac_per_s: +((M * K * N) / (ms * 1e6)).toFixed(3) };
}

async function main() {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('this browser gives no WebGPU adapter');
  const device = await adapter.requestDevice();
  const errors = [];
  device.addEventListener('uncapturederror', (e) => errors.push(e.error.message));
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const buffer = (floats) => {
    const b = device.createBuffer({ size: floats * 4, usage });
    device.queue.writeBuffer(b, 0, new Float32Array(floats).map((_, i) => ((i % 7) - 3) * 0.1));
    return b;
  };
  const buffers = [buffer(M * K), buffer(K * N), buffer(M * N)];
  const tiles = [];
  for (const [R, C4] of [[1, 1], [4, 1], [8, 1], [8, 2], [16, 2]]) tiles.push(await measure(device, buffers, R, C4));
  const info = adapter.info ?? {};
  return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' '), tiles, errors };
}

main()
  .then((result) => { window.result = result; })
  .catch((e) => { window.result = { error: String(e) }; });
