//! The seeded stream of batch indices. Every step draws exactly `batch`
//! samples from permutation after permutation of the training set (a batch
//! may straddle two of them), so steps are uniform and another trainer given
//! the same indices (the GPU one) sees the same batches.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seeded stream of batch indices: permutation after permutation of 0..n.
#[derive(Clone, Debug)]
pub struct BatchSampler {
    order: Vec<u32>,
    cursor: usize,
    rng: ChaCha8Rng,
}

impl BatchSampler {
    /// A stream over `n` samples.
    pub fn new(n: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        Self {
            order: (0..n as u32).collect(),
            cursor: n,
            rng,
        }
    }

    /// Skips the next `count` indices (to resume a run where it stopped).
    pub fn skip(&mut self, count: usize) {
        let mut scratch = [0u32; 256];
        let mut left = count;
        while left > 0 {
            let n = left.min(scratch.len());
            self.next_batch(&mut scratch[..n]);
            left -= n;
        }
    }

    /// Fills `out` with the next indices.
    pub fn next_batch(&mut self, out: &mut [u32]) {
        for slot in out {
            if self.cursor == self.order.len() {
                // Fisher-Yates with u32 draws: the same order on 32- and 64-bit targets.
                for i in (1..self.order.len()).rev() {
                    let j = self.rng.random_range(0..=i as u32) as usize;
                    self.order.swap(i, j);
                }
                self.cursor = 0;
            }
            *slot = self.order[self.cursor];
            self.cursor += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampler_covers_every_sample_each_pass() {
        let mut s = BatchSampler::new(10, 3);
        let mut out = [0u32; 5];
        let mut seen = Vec::new();
        for _ in 0..2 {
            s.next_batch(&mut out);
            seen.extend(out);
        }
        seen.sort();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        // A batch that straddles two permutations.
        let mut s = BatchSampler::new(3, 3);
        let mut out = [0u32; 4];
        s.next_batch(&mut out);
        let mut first: Vec<u32> = out[..3].to_vec();
        first.sort();
        assert_eq!(first, [0, 1, 2]);
    }
}
