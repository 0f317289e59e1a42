//! A set of small integer ids with a fast "lowest id": a bitset plus a cursor below which
//! every word is known empty. Ids leave the set mostly lowest first (the scheduler stops the
//! lowest old task id in a zone), so `first` is amortised O(1). Storage is reused.

#[derive(Debug, Default)]
pub struct IdSet {
    words: Vec<u64>,
    /// Every word before this index is zero.
    cursor: usize,
    len: u32,
}

impl Clone for IdSet {
    fn clone(&self) -> Self {
        IdSet {
            words: self.words.clone(),
            cursor: self.cursor,
            len: self.len,
        }
    }

    /// Reuses `self`'s storage (a world restores its t = 0 state every run).
    fn clone_from(&mut self, source: &Self) {
        self.words.clone_from(&source.words);
        self.cursor = source.cursor;
        self.len = source.len;
    }
}

impl IdSet {
    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
        self.cursor = 0;
        self.len = 0;
    }

    pub fn insert(&mut self, id: u32) {
        let word = id as usize / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let bit = 1u64 << (id % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.len += 1;
            self.cursor = self.cursor.min(word);
        }
    }

    pub fn remove(&mut self, id: u32) {
        let word = id as usize / 64;
        if let Some(w) = self.words.get_mut(word) {
            let bit = 1u64 << (id % 64);
            if *w & bit != 0 {
                *w &= !bit;
                self.len -= 1;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[cfg(test)]
    pub fn len(&self) -> u32 {
        self.len
    }

    /// The lowest id in the set.
    pub fn first(&mut self) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        while self.words[self.cursor] == 0 {
            self.cursor += 1;
        }
        Some(self.cursor as u32 * 64 + self.words[self.cursor].trailing_zeros())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_set() {
        let mut set = IdSet::default();
        let mut reference = std::collections::BTreeSet::new();
        let mut x = 7u32;
        for step in 0..5000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let id = (x >> 8) % 300;
            if step % 3 == 0 {
                set.remove(id);
                reference.remove(&id);
            } else {
                set.insert(id);
                reference.insert(id);
            }
            assert_eq!(set.first(), reference.first().copied());
            assert_eq!(set.len() as usize, reference.len());
        }
        set.clear();
        assert!(set.is_empty());
        assert_eq!(set.first(), None);
    }
}
