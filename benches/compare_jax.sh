#!/usr/bin/env bash
# Training throughput of the cblab CPU trainer and of the same model, loss and
# optimiser in JAX (jit, CPU), in one run on this machine.
# Makes its own Python virtual environment under target/bench-venv.
#   bash benches/compare_jax.sh [SECONDS_PER_BATCH_SIZE]
# CBLAB_BENCH_PROFILE picks cblab's Cargo profile (`bench`, LTO, by default; the
# brief run in `cargo xtask test` uses `dev`, which the tests have built already).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-3}"
venv=target/bench-venv
if ! "$venv/bin/python" -c 'import jax' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r benches/requirements-jax.txt
fi
cargo bench --quiet --profile "${CBLAB_BENCH_PROFILE:-bench}" --bench throughput -- --seconds "$seconds" > target/bench-cblab.jsonl
"$venv/bin/python" benches/jax_throughput.py --seconds "$seconds" > target/bench-jax.jsonl
"$venv/bin/python" - <<'PY'
import json
rows = [json.loads(l) for f in ("target/bench-cblab.jsonl", "target/bench-jax.jsonl") for l in open(f)]
by = {}
for r in rows:
    if "batch" in r:
        by.setdefault(r["batch"], {})[r["impl"].split("-")[0]] = r
print(f"{'batch':>6} {'cblab samples/s':>16} {'GFLOP/s':>8} {'JAX samples/s':>14} {'GFLOP/s':>8} {'cblab / JAX':>11}")
for b in sorted(by):
    c, j = by[b]["cblab"], by[b]["jax"]
    print(f"{b:>6} {c['samples_per_s']:>16,} {c['gflops']:>8.1f} {j['samples_per_s']:>14,} {j['gflops']:>8.1f} {c['samples_per_s'] / j['samples_per_s']:>10.2f}x")
multi = {}
for r in rows:
    if "multi_label_batch" in r:
        multi.setdefault(r["multi_label_batch"], {})[r["impl"].split("-")[0]] = r
if multi:
    print("several labels a sample (CB sigmoid by class, multi-hot targets):")
    print(f"{'batch':>6} {'cblab samples/s':>16} {'JAX samples/s':>14} {'cblab / JAX':>11}")
    for b in sorted(multi):
        c, j = multi[b]["cblab"], multi[b]["jax"]
        print(f"{b:>6} {c['samples_per_s']:>16,} {j['samples_per_s']:>14,} {c['samples_per_s'] / j['samples_per_s']:>10.2f}x")
for r in rows:
    if "default_run_seconds" in r:
        print(f"default configuration ({r['epochs']} epochs) trained in {r['default_run_seconds']*1000:.1f} ms, balanced accuracy {r['balanced_accuracy']:.3f}")
    if "fashion_run_seconds" in r:
        print(f"Fashion-MNIST-LT at imbalance 100 ({r['images']} images, {r['epochs']} epochs, CB softmax) trained in {r['fashion_run_seconds']*1000:.1f} ms, balanced accuracy {r['balanced_accuracy']:.3f}")
PY
