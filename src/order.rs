//! Sorting by index: one sort for the lists the page orders on its first load.
//!
//! Every `sort_unstable_by` over a new element type or comparator is another
//! copy of the standard library's sort in the wasm (1 to 3 kB each, before
//! compression). Sorting indices with the comparator behind `dyn` is a single
//! copy for all of its callers (issue 12).

use std::cmp::Ordering;

/// The indices `0..len`, ordered by `compare` (the order of equal ones is unspecified).
pub fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b));
    order
}

/// The classes of `counts`, largest first; equal counts keep their order, as
/// a stable sort would.
pub fn largest_first(counts: &[u64]) -> Vec<usize> {
    sorted_indices(counts.len(), &|a, b| {
        counts[b].cmp(&counts[a]).then(a.cmp(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::{largest_first, sorted_indices};

    #[test]
    fn orders_indices_by_the_comparator() {
        let values = [30, 10, 20, 10];
        let order = sorted_indices(values.len(), &|a, b| {
            values[a].cmp(&values[b]).then(a.cmp(&b))
        });
        assert_eq!(order, [1, 3, 2, 0]);
        assert!(sorted_indices(0, &|a, b| a.cmp(&b)).is_empty());
    }

    #[test]
    fn largest_first_keeps_ties_in_order() {
        assert_eq!(largest_first(&[5, 500, 5, 50, 500]), [1, 4, 3, 0, 2]);
        assert!(largest_first(&[]).is_empty());
    }
}
