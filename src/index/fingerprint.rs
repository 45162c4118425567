//! A 64-bit fingerprint of an article's text for spotting near-identical articles (the same
//! wire story on two sites, a page saved twice, a copy with a sentence changed). b-bit
//! MinHash over overlapping three-word shingles of the folded title and body: 16 hash
//! functions, the low 4 bits of each minimum. Two texts agree on a group with probability
//! about their shingle overlap (Jaccard), plus 1/16 by chance.
//! Owns the fingerprint and the rule for "the same article"; search decides what to show.

/// Groups of 4 bits in a fingerprint.
pub const GROUPS: u32 = 16;
/// Articles agreeing on at least this many groups are the same (a shingle overlap of
/// about 0.75 or more; unrelated texts agree on about one).
pub const MIN_EQUAL_GROUPS: u32 = 12;
/// Texts shorter than this must agree on every group.
pub const MIN_STABLE_WORDS: usize = 10;

/// The fingerprint and the number of words it was taken over; (0, 0) for an empty text.
pub fn fingerprint<'a>(texts: impl IntoIterator<Item = &'a str>) -> (u64, usize) {
    // Each word is folded and hashed once; a shingle's hash combines its words' hashes.
    let mut word = String::new();
    let mut hashes: Vec<u64> = Vec::new();
    for text in texts {
        for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            word.clear();
            if w.is_ascii() {
                word.push_str(w);
                word.make_ascii_lowercase();
            } else {
                word.extend(w.chars().flat_map(char::to_lowercase));
            }
            hashes.push(xxhash_rust::xxh3::xxh3_64(word.as_bytes()));
        }
    }
    if hashes.is_empty() {
        return (0, 0);
    }
    let mut minima = [u64::MAX; GROUPS as usize];
    let mut add = |shingle: &[u64]| {
        let base = shingle.iter().enumerate().fold(0u64, |acc, (i, h)| acc ^ h.rotate_left(21 * i as u32));
        for (i, min) in minima.iter_mut().enumerate() {
            *min = (*min).min(mix(base ^ SEEDS[i]));
        }
    };
    if hashes.len() < 3 {
        add(&hashes);
    } else {
        hashes.windows(3).for_each(&mut add);
    }
    let print = minima.iter().enumerate().fold(0u64, |acc, (i, m)| acc | (m & 0xF) << (4 * i));
    (print, hashes.len())
}

/// A 64-bit finaliser (splitmix64's): turns one hash into an independent-looking other.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const SEEDS: [u64; GROUPS as usize] = [
    0x9e37_79b9_7f4a_7c15,
    0xc2b2_ae3d_27d4_eb4f,
    0x1656_67b1_9e37_79f9,
    0x85eb_ca77_c2b2_ae63,
    0x27d4_eb2f_1656_67c5,
    0xd6e8_feb8_6659_fd93,
    0xa076_1d64_78bd_642f,
    0xe703_7ed1_a0b4_28db,
    0x8ebc_6af0_9c88_c6e3,
    0x5899_65cc_7537_4cc3,
    0x1d8e_4e27_c47d_124f,
    0xf135_7aea_2e62_a9c5,
    0x2545_f491_4f6c_dd1d,
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
];

/// How many 4-bit groups two fingerprints share.
pub fn equal_groups(a: u64, b: u64) -> u32 {
    (0..GROUPS).filter(|i| (a >> (4 * i)) & 0xF == (b >> (4 * i)) & 0xF).count() as u32
}

/// Whether two fingerprints (with their word counts) are the same article.
pub fn same_article(a: (u64, usize), b: (u64, usize)) -> bool {
    if a.1 == 0 || b.1 == 0 {
        return false;
    }
    let needed = if a.1.min(b.1) < MIN_STABLE_WORDS { GROUPS } else { MIN_EQUAL_GROUPS };
    equal_groups(a.0, b.0) >= needed
}

/// Keys for finding candidates: fingerprints that are the same article (at most 4 groups
/// apart) agree on at least one of these five runs of groups.
pub fn bucket_keys(print: u64) -> [(u8, u64); 5] {
    let run = |from: u32, len: u32| (print >> (4 * from)) & ((1u64 << (4 * len)) - 1);
    [(0, run(0, 3)), (1, run(3, 3)), (2, run(6, 3)), (3, run(9, 3)), (4, run(12, 4))]
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The central bank raised its main interest rate by a quarter point on Tuesday, \
        citing persistent inflation in services and a tight labour market, and signalled that \
        further increases were possible if wage growth did not slow over the coming months. \
        Markets had expected the move, and the currency barely changed after the announcement.";

    #[test]
    fn same_articles_share_a_bucket() {
        let a = fingerprint([STORY]).0;
        let b = fingerprint([STORY.replace("Tuesday", "Wednesday").as_str()]).0;
        assert!(equal_groups(a, b) >= MIN_EQUAL_GROUPS);
        assert!(bucket_keys(a).iter().any(|k| bucket_keys(b).contains(k)));
    }

    #[test]
    fn copies_and_light_edits_are_the_same_article_other_stories_are_not() {
        let a = fingerprint([STORY]);
        assert!(a.1 > MIN_STABLE_WORDS);
        // A sentence added to a short story is still the same story.
        assert!(same_article(a, fingerprint([STORY, "The ministry gave no figures for coal."])));
        assert!(same_article(a, fingerprint([STORY])));
        // Case, punctuation and spacing do not matter; one changed word costs a few bits.
        assert!(same_article(a, fingerprint([STORY.to_uppercase().replace(',', " ;").as_str()])));
        assert!(same_article(a, fingerprint([STORY.replace("Tuesday", "Wednesday").as_str()])));
        let other = "The football club announced a new coach on Friday after a poor season in which \
            the team lost twelve of its last fifteen league matches and fell out of the top division \
            for the first time in forty years, to the dismay of supporters across the city.";
        assert!(!same_article(a, fingerprint([other])));
        // Short texts must match exactly; empty ones never match.
        assert!(same_article(fingerprint(["Short note"]), fingerprint(["short NOTE"])));
        assert!(!same_article(fingerprint(["Short note here"]), fingerprint(["Short notes here"])));
        assert!(!same_article(fingerprint([""]), fingerprint([""])));
    }
}
