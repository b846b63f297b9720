//! Re-ordering of batches that arrive out of order into the order of their indices.

use std::collections::BTreeMap;

/// Holds batches that arrived ahead of their turn; releases items in index order.
pub(crate) struct Reorder<T> {
    /// Index of the next item to release.
    next: usize,
    /// Batches waiting for their turn, by the index of their first item.
    waiting: BTreeMap<usize, Vec<T>>,
}

impl<T> Reorder<T> {
    pub fn new() -> Reorder<T> {
        Reorder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }

    /// Accept the batch of items `start..start + items.len()` and pass every item that
    /// is now in turn to `release`, with its index.
    pub fn push(&mut self, start: usize, items: Vec<T>, mut release: impl FnMut(usize, T)) {
        self.waiting.insert(start, items);
        while let Some(items) = self.waiting.remove(&self.next) {
            let first = self.next;
            self.next += items.len();
            for (offset, item) in items.into_iter().enumerate() {
                release(first + offset, item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_in_index_order() {
        let mut reorder = Reorder::new();
        let mut out = Vec::new();
        reorder.push(2, vec!['c', 'd'], |i, c| out.push((i, c)));
        assert!(out.is_empty());
        reorder.push(5, vec!['f'], |i, c| out.push((i, c)));
        reorder.push(0, vec!['a', 'b'], |i, c| out.push((i, c)));
        assert_eq!(out, vec![(0, 'a'), (1, 'b'), (2, 'c'), (3, 'd')]);
        reorder.push(4, vec!['e'], |i, c| out.push((i, c)));
        assert_eq!(out.len(), 6);
        assert_eq!(reorder.next, 6);
    }
}
