//! The one hash integra stores: in the index (content hashes of documents and files) and in the
//! analyzer's data (the lexicon's table of stored splits). Below every other module, so that
//! each of them can use it without depending on another.

/// 64-bit FNV-1a of `bytes`, continuing from `hash`: stable across Rust releases (unlike
/// `DefaultHasher`), which a hash stored on disk must be.
pub(crate) fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The FNV-1a starting value.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_the_fnv1a_reference() {
        // Test vectors of the FNV reference implementation.
        assert_eq!(fnv1a(b"", FNV_OFFSET), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a", FNV_OFFSET), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar", FNV_OFFSET), 0x8594_4171_f739_67e8);
        assert_eq!(
            fnv1a(b"bar", fnv1a(b"foo", FNV_OFFSET)),
            fnv1a(b"foobar", FNV_OFFSET)
        );
    }
}
