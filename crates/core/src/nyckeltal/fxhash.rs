//! A small, fast, non-cryptographic hasher (the "Fx" hash of rustc) for maps keyed by
//! organisation codes and (indicator, sex) pairs. The keys hashed here are codes of stored or
//! imported data, not attacker-chosen per request, and the maps are small (thousands of
//! organisations), so flooding resistance (SipHash, std's default) buys nothing and costs a
//! fifth of a focus view's build time (#19).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Multiply-rotate hash over 8-byte words.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_different_codes_mostly_differ() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            std::hash::Hash::hash(s, &mut h);
            h.finish()
        };
        assert_eq!(hash("2084"), hash(&String::from("2084")));
        let codes: Vec<String> = (0..10_000).map(|i| format!("{i:04}")).collect();
        let distinct: std::collections::HashSet<u64> = codes.iter().map(|c| hash(c)).collect();
        assert_eq!(distinct.len(), codes.len());
        let mut m: FxHashMap<String, usize> = FxHashMap::default();
        for (i, c) in codes.iter().enumerate() {
            m.insert(c.clone(), i);
        }
        assert_eq!(m.get("0042"), Some(&42));
        assert_eq!(m.get("10000"), None);
    }
}
