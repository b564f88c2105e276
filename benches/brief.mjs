// Every benchmark also runs briefly: `cargo xtask test` (CI) runs each with
// CBLAB_BENCH_BRIEF=1, a fraction of a second a case, so that none rots
// unnoticed. Its figures then prove only that it runs.
export const brief = process.env.CBLAB_BENCH_BRIEF === '1';
