//! Welding: giving every distinct vertex position one index, so that triangles that
//! share a corner can be seen to share it.
//!
//! Positions are compared by the exact bit patterns of their `f32` coordinates (with
//! `-0.0` read as `0.0`): CAD exports write a shared vertex identically each time, and
//! an exact test cannot weld two corners that merely lie close together.
//!
//! A table of every position is megabytes, so each look-up in it misses the cache:
//! with three million corners, that was most of the time welding took on a virtual
//! machine. But a file lists its triangles in some order over the surface, so a corner
//! nearly always repeats a position met a few thousand corners before. Hence three
//! steps, each of which stays in cache:
//! 1. stream: each corner is looked up in a small table of the positions met lately
//!    (64 KB); a position not there gets a new provisional number, so one met again
//!    after it left the table gets a second one;
//! 2. merge: the provisional positions, about a sixth of the corners for a closed mesh,
//!    are scattered by hash into cache-sized buckets and deduplicated bucket by bucket;
//! 3. number: positions are numbered in order of first appearance, which is the order
//!    of their first provisional numbers, and every corner is given its number.
//!
//! The hash is seeded afresh for each call, so an upload cannot be crafted to make
//! positions collide.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use crate::stl::Record;

/// The welded mesh: an index per corner, and the distinct positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Welded {
    /// Three vertex indices per triangle, in file order.
    pub corners: Vec<u32>,
    /// Distinct positions, in order of first appearance.
    pub vertices: Vec<[f32; 3]>,
    /// Memory welding used and no longer needs (its contents mean nothing), for the
    /// next step to grow into: pages already touched cost no page faults, which on a
    /// virtual machine cost more than the work done in them. The first is about as
    /// large as three numbers a triangle, the second one number a vertex.
    pub scratch: [Vec<u32>; 2],
}

/// Entries of the table of recent positions, which holds their provisional numbers
/// (4 bytes each: 64 KB, in the core's own cache). On the benchmark sphere it answers
/// 81% of corners; the other 19% are first appearances (17%, which nothing can answer)
/// and positions met long before.
const RECENT_BITS: u32 = 14;

/// An empty entry of the table of recent positions.
const NONE: u32 = u32::MAX;

/// Provisional positions per bucket aimed at when merging: a bucket and its table
/// stay in the core's cache.
const BUCKET_TARGET: usize = 4096;

/// Welds the corners of `records`, which must hold fewer than 2³¹ / 3 triangles.
#[cfg(test)]
pub(crate) fn weld(records: &[Record]) -> Welded {
    let mut welder = Welder::new(records.len());
    // In uneven chunks, as a file is read.
    for chunk in records.chunks(1000) {
        welder.add(chunk);
    }
    welder.finish()
}

/// Welding under way: triangles are added a chunk at a time (step 1, which needs each
/// chunk only while it is added, so a file can be welded as it is read), then
/// [`finish`](Self::finish) merges and numbers them (steps 2 and 3).
pub(crate) struct Welder {
    seed: u64,
    /// The table of recent positions: provisional numbers, or [`NONE`].
    recent: Vec<u32>,
    /// The position of each provisional number.
    provisional: Vec<[u32; 3]>,
    /// The provisional number of each corner so far.
    corners: Vec<u32>,
}

impl Welder {
    /// A welder for a part of `triangles` triangles (fewer than 2³¹ / 3; a guess is
    /// fine, it only sizes the corner list).
    pub(crate) fn new(triangles: usize) -> Self {
        Self {
            seed: RandomState::new().hash_one(0x006d_616b_7278_u64) | 1,
            recent: vec![NONE; 1 << RECENT_BITS],
            provisional: Vec::new(),
            corners: Vec::with_capacity(triangles * 3),
        }
    }

    /// Step 1 for `records`, the next triangles in file order: each corner is given a
    /// provisional number.
    pub(crate) fn add(&mut self, records: &[Record]) {
        // Fields apart, so that the loop keeps them in registers.
        let Self {
            seed,
            recent,
            provisional,
            corners,
        } = self;
        for r in records {
            for key in keys(r) {
                let entry = &mut recent[(hash(&key, *seed) >> (64 - RECENT_BITS)) as usize];
                // A recent number's position is near the end of `provisional`, in cache.
                if provisional.get(*entry as usize) != Some(&key) {
                    *entry = provisional.len() as u32;
                    provisional.push(key);
                }
                corners.push(*entry);
            }
        }
    }

    /// Steps 2 and 3: the welded mesh of every triangle added.
    pub(crate) fn finish(self) -> Welded {
        let Self {
            seed,
            recent,
            mut provisional,
            mut corners,
        } = self;
        drop(recent);

        // 2. Merge: the first provisional number of each one's position, in no more
        // memory than the edge lists will take next (three numbers a triangle), which
        // they reuse.
        let (mut number, scratch) = first_of_each_position(&provisional, seed, corners.len());

        // 3. Number in order of first appearance. A provisional number that is not the
        // first of its position points at one below it, which is numbered by then. The
        // positions are moved down in place over the provisional ones.
        let mut vertices = 0;
        for p in 0..number.len() {
            let first = number[p] as usize;
            number[p] = if first == p {
                provisional[vertices] = provisional[p];
                vertices += 1;
                (vertices - 1) as u32
            } else {
                number[first]
            };
        }
        provisional.truncate(vertices);
        for corner in &mut corners {
            *corner = number[*corner as usize];
        }
        // Same size and alignment: the keys' memory is reused for the positions.
        let vertices = provisional
            .into_iter()
            .map(|key| key.map(f32::from_bits))
            .collect();
        Welded {
            corners,
            vertices,
            scratch: [scratch, number],
        }
    }
}

/// For every key, the index of the first key equal to it; and the memory used, which
/// is at most `budget` numbers unless one bucket needs more.
///
/// Keys are copied, with their indices, bucket by bucket into that memory, in as many
/// rounds of whole buckets as it takes: a file in no useful order (a shuffled one, or
/// separate triangles) has nearly every corner provisional, and a copy of them all
/// would have cost more memory than the file itself.
fn first_of_each_position(keys: &[[u32; 3]], seed: u64, budget: usize) -> (Vec<u32>, Vec<u32>) {
    let bits = (keys.len() / BUCKET_TARGET).max(1).ilog2().min(16);
    let bucket = |key: &[u32; 3]| {
        if bits == 0 {
            0
        } else {
            (hash(key, seed) >> (64 - bits)) as usize
        }
    };
    let buckets = 1 << bits;
    let mut start = vec![0usize; buckets + 1];
    for key in keys {
        start[bucket(key) + 1] += 1;
    }
    for b in 0..buckets {
        start[b + 1] += start[b];
    }

    let rows = (budget / 4).max(1);
    let mut scattered: Vec<u32> = Vec::new();
    let mut first = vec![0u32; keys.len()];
    let mut table: Vec<u32> = Vec::new();
    let mut from = 0;
    while from < buckets {
        // The buckets `from..to` whose keys fit (at least one bucket).
        let mut to = from + 1;
        while to < buckets && start[to + 1] - start[from] <= rows {
            to += 1;
        }
        let base = start[from];

        // Scatter their keys with their indices, `[x, y, z, index]`, bucket by bucket
        // (in index order within each).
        scattered.clear();
        scattered.resize((start[to] - base) * 4, 0);
        let mut fill: Vec<usize> = start[from..to].iter().map(|s| s - base).collect();
        for (i, key) in keys.iter().enumerate() {
            let b = bucket(key);
            if (from..to).contains(&b) {
                let slot = &mut fill[b - from];
                scattered[*slot * 4..*slot * 4 + 4]
                    .copy_from_slice(&[key[0], key[1], key[2], i as u32]);
                *slot += 1;
            }
        }

        // Deduplicate each bucket with an open-addressing table of positions in it.
        let (members, _) = scattered.as_chunks::<4>();
        for b in from..to {
            let members = &members[start[b] - base..start[b + 1] - base];
            let mask = (members.len() * 2).next_power_of_two().max(16) - 1;
            table.clear();
            table.resize(mask + 1, u32::MAX);
            for (at, &[x, y, z, index]) in members.iter().enumerate() {
                let key = [x, y, z];
                let mut slot = hash(&key, seed) as usize & mask;
                first[index as usize] = loop {
                    let held = table[slot];
                    if held == u32::MAX {
                        table[slot] = at as u32;
                        break index;
                    }
                    let other = members[held as usize];
                    if other[..3] == key {
                        break other[3];
                    }
                    slot = (slot + 1) & mask;
                };
            }
        }
        from = to;
    }
    (first, scattered)
}

/// The position bits of a record's three corners, with `-0.0` folded into `0.0`.
#[inline(always)]
fn keys(r: &Record) -> [[u32; 3]; 3] {
    let bits = |at: usize| {
        let b = u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
        if b == 0x8000_0000 { 0 } else { b }
    };
    [
        [bits(12), bits(16), bits(20)],
        [bits(24), bits(28), bits(32)],
        [bits(36), bits(40), bits(44)],
    ]
}

/// A seeded 64-bit hash of a position's bits: one folded multiply (as in foldhash) of
/// the x and y bits by the z bits, each side keyed by the seed.
#[inline(always)]
fn hash(key: &[u32; 3], seed: u64) -> u64 {
    const K: u64 = 0x243f_6a88_85a3_08d3;
    let xy = u64::from(key[0]) | (u64::from(key[1]) << 32);
    fold(xy ^ seed, u64::from(key[2]) ^ seed.rotate_left(32) ^ K)
}

#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes;
    use crate::stl::{Limits, Triangle, TriangleSoup, to_binary_stl};

    fn welded(triangles: &[Triangle]) -> Welded {
        let bytes = to_binary_stl(triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        weld(soup.records())
    }

    #[test]
    fn a_cube_welds_to_eight_vertices() {
        let w = welded(&shapes::cuboid([0.0; 3], [1.0; 3]));
        assert_eq!(w.vertices.len(), 8);
        assert_eq!(w.corners.len(), 36);
        assert!(w.corners.iter().all(|&i| i < 8));
    }

    #[test]
    fn vertices_are_numbered_in_order_of_first_appearance() {
        let w = welded(&shapes::tetrahedron());
        assert_eq!(&w.corners[..3], &[0, 1, 2]);
        assert_eq!(w.vertices[0], [0.0, 0.0, 0.0]);
    }

    #[test]
    fn negative_zero_welds_with_zero() {
        let a: Triangle = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
        let b: Triangle = [[-0.0, -0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, -0.0]];
        let w = welded(&[a, b]);
        assert_eq!(w.vertices.len(), 3);
    }

    #[test]
    fn positions_that_differ_in_the_last_bit_stay_apart() {
        let a: Triangle = [[0.0; 3], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
        let nudged = f32::from_bits(1.0f32.to_bits() + 1);
        let b: Triangle = [[0.0; 3], [nudged, 0.0, 0.0], [0.0, 1.0, 0.0]];
        assert_eq!(welded(&[a, b]).vertices.len(), 4);
    }

    #[test]
    fn a_large_torus_welds_to_one_vertex_per_grid_point_in_grid_order() {
        // 2 * 300 * 100 = 60,000 triangles: split between threads, over many buckets.
        let torus = shapes::torus(30.0, 8.0, 300, 100);
        let w = welded(&torus);
        assert_eq!(w.vertices.len(), 300 * 100);
        // Same answer as a plain map from position to first-seen number.
        let mut seen = std::collections::HashMap::new();
        for (c, v) in torus.iter().flatten().enumerate() {
            let next = seen.len() as u32;
            let id = *seen.entry(v.map(f32::to_bits)).or_insert(next);
            assert_eq!(w.corners[c], id, "corner {c}");
            assert_eq!(w.vertices[id as usize], *v);
        }
    }

    #[test]
    fn a_soup_of_separate_triangles_outgrows_the_first_table() {
        // Three distinct corners per triangle: six times the vertices a closed mesh has.
        let soup: Vec<Triangle> = (0..20_000)
            .map(|i| {
                let x = i as f32;
                [[x, 0.0, 0.0], [x, 1.0, 0.0], [x, 0.0, 1.0]]
            })
            .collect();
        let w = welded(&soup);
        assert_eq!(w.vertices.len(), 60_000);
        assert!(w.corners.iter().enumerate().all(|(c, &i)| i == c as u32));
    }

    #[test]
    fn a_shuffled_mesh_is_merged_in_rounds_to_the_same_answer() {
        // Out of order, nearly every corner misses the recent positions and is merged,
        // in more than one round of buckets.
        let mut torus = shapes::torus(30.0, 8.0, 300, 100);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for i in (1..torus.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            torus.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let w = welded(&torus);
        assert_eq!(w.vertices.len(), 300 * 100);
        let mut seen = std::collections::HashMap::new();
        for (c, v) in torus.iter().flatten().enumerate() {
            let next = seen.len() as u32;
            let id = *seen.entry(v.map(f32::to_bits)).or_insert(next);
            assert_eq!(w.corners[c], id, "corner {c}");
        }
    }

    #[test]
    fn merging_in_rounds_finds_the_same_firsts_as_in_one() {
        let keys: Vec<[u32; 3]> = (0..50_000u32).map(|i| [i % 7_000, i % 3, 1]).collect();
        let (one, _) = first_of_each_position(&keys, 12_345, usize::MAX);
        let (rounds, scratch) = first_of_each_position(&keys, 12_345, 4_000);
        assert_eq!(one, rounds);
        assert!(scratch.len() < 50_000, "{}", scratch.len());
    }

    #[test]
    fn every_corner_at_one_point_welds_to_one_vertex() {
        let t: Triangle = [[5.0; 3]; 3];
        let w = welded(&vec![t; 40_000]);
        assert_eq!(w.vertices.len(), 1);
        assert!(w.corners.iter().all(|&i| i == 0));
    }
}
