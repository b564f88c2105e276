"""The JAX peer of benches/throughput.rs: the same 2 -> 64 -> 64 -> 10 ReLU MLP,
class-balanced softmax cross-entropy (weights = normalised 1/E_n, loss summed
over the batch and divided by B) and Adam, one jitted training step, timed the
same way. Prints one JSON line per batch size."""

import argparse
import json
import time

import jax
import jax.numpy as jnp
import numpy as np


def init(key, sizes):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        limit = np.sqrt(6.0 / n_in)
        params.append((jax.random.uniform(sub, (n_in, n_out), jnp.float32, -limit, limit),
                       jnp.zeros((n_out,), jnp.float32)))
    return params


def forward(params, x):
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def loss_fn(params, x, y, class_weights):
    logits = forward(params, x)
    nll = -jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1)[:, 0]
    return jnp.sum(class_weights[y] * nll) / x.shape[0]


def multi_label_loss_fn(params, x, y, class_weights):
    """CB sigmoid by class on multi-hot targets y: sum over classes of
    w_c * BCE, summed over the batch and divided by B (as cblab reduces it)."""
    logits = forward(params, x)
    bce = jnp.logaddexp(0.0, logits) - y * logits
    return jnp.sum(bce * class_weights) / x.shape[0]


def make_step(lr=0.01, b1=0.9, b2=0.999, eps=1e-8, loss_fn=loss_fn):
    @jax.jit
    def step(params, m, v, t, x, y, class_weights):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y, class_weights)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        c1 = 1 / (1 - b1 ** t)
        c2 = 1 / (1 - b2 ** t)
        params = jax.tree_util.tree_map(
            lambda p, m, v: p - lr * (m * c1) / (jnp.sqrt(v * c2) + eps), params, m, v)
        return params, m, v, t, loss
    return step


def time_steps(step, sizes, x_all, y_all, batch, class_weights, seconds):
    """Training steps per second of `step` at `batch`, after compiling and warming up."""
    n = len(x_all)
    params = init(jax.random.PRNGKey(0), sizes)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    t = jnp.float32(0)
    batches = [(jnp.asarray(x_all[i:i + batch]), jnp.asarray(y_all[i:i + batch]))
               for i in range(0, n - batch + 1, batch)][:64]
    for i in range(200):
        x, y = batches[i % len(batches)]
        params, m, v, t, loss = step(params, m, v, t, x, y, class_weights)
    loss.block_until_ready()
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            x, y = batches[steps % len(batches)]
            params, m, v, t, loss = step(params, m, v, t, x, y, class_weights)
            steps += 1
        loss.block_until_ready()
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    sizes = [2, 64, 64, 10]
    macs = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    first = sizes[0] * sizes[1]
    rng = np.random.default_rng(0)
    n = 20000
    x_all = rng.normal(size=(n, 2)).astype(np.float32)
    y_all = rng.integers(0, 10, size=n).astype(np.int32)
    class_weights = jnp.ones((10,), jnp.float32)
    step = make_step()
    y_multi = (rng.random((n, 10)) < 0.2).astype(np.float32)
    multi_label_step = make_step(loss_fn=multi_label_loss_fn)
    for batch in [32, 256]:
        steps_per_s = time_steps(multi_label_step, sizes, x_all, y_multi, batch, class_weights, args.seconds)
        print(json.dumps({"impl": f"jax-{jax.__version__}-jit-cpu", "multi_label_batch": batch,
                          "steps_per_s": round(steps_per_s, 1),
                          "samples_per_s": round(steps_per_s * batch)}), flush=True)
    for batch in [32, 256, 1024]:
        steps_per_s = time_steps(step, sizes, x_all, y_all, batch, class_weights, args.seconds)
        gflops = 2.0 * batch * (3 * macs - first) * steps_per_s / 1e9
        print(json.dumps({"impl": f"jax-{jax.__version__}-jit-cpu", "batch": batch,
                          "steps_per_s": round(steps_per_s, 1),
                          "samples_per_s": round(steps_per_s * batch),
                          "gflops": round(gflops, 2)}), flush=True)


if __name__ == "__main__":
    main()
