//! Welding: giving every distinct vertex position one index, so that triangles that
//! share a corner can be seen to share it.
//!
//! Positions are compared by the exact bit patterns of their `f32` coordinates (with
//! `-0.0` read as `0.0`): CAD exports write a shared vertex identically each time, and
//! an exact test cannot weld two corners that merely lie close together.
//!
//! Three passes, each split between the cores:
//! 1. partition: corners are scattered by a hash into cache-sized buckets;
//! 2. dedupe: each bucket is deduplicated with a small open-addressing table, pointing
//!    every corner at the first corner (lowest index) with its position;
//! 3. number: positions are numbered in order of first appearance.
//!
//! All three stream through memory, which is what makes a million triangles take
//! milliseconds. The hash is seeded afresh for each call, so an upload cannot be
//! crafted to make buckets collide.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::parallel;
use crate::stl::{Record, vertices};

/// The welded mesh: an index per corner, and the distinct positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Welded {
    /// Three vertex indices per triangle, in file order.
    pub corners: Vec<u32>,
    /// Distinct positions, in order of first appearance.
    pub vertices: Vec<[f32; 3]>,
}

/// Corners per bucket aimed at: a bucket and its table stay in the core's own cache.
const BUCKET_TARGET: usize = 4096;

/// Marks a corner that is the first at its position while numbering.
const FIRST: u32 = 1 << 31;

/// Welds the corners of `records`, which must hold fewer than 2³¹ / 3 triangles.
pub(crate) fn weld(records: &[Record]) -> Welded {
    let buckets = Buckets::new(records.len() * 3);
    let partition = Partition::new(records, &buckets);
    let first = partition.dedupe(&buckets);
    drop(partition);
    number(records, first)
}

/// How corners are spread over buckets.
struct Buckets {
    bits: u32,
    seed: u64,
}

impl Buckets {
    fn new(corners: usize) -> Self {
        Self {
            bits: (corners / BUCKET_TARGET).max(1).ilog2().min(16),
            seed: RandomState::new().hash_one(0x006d_616b_7278_u64) | 1,
        }
    }

    fn count(&self) -> usize {
        1 << self.bits
    }

    #[inline(always)]
    fn hash(&self, key: &[u32; 3]) -> u64 {
        hash(key, self.seed)
    }

    /// The top bits pick the bucket; the table inside it uses the bottom bits.
    #[inline(always)]
    fn of(&self, key: &[u32; 3]) -> usize {
        if self.bits == 0 {
            0
        } else {
            (self.hash(key) >> (64 - self.bits)) as usize
        }
    }
}

/// Corners as `[x bits, y bits, z bits, corner index]`, grouped by bucket.
///
/// Each thread scatters the triangles it was given into a region of its own, so the
/// array is laid out region by region, and bucket by bucket within a region.
struct Partition {
    corners: Vec<[u32; 4]>,
    /// For each region: where it starts, and where each bucket starts within it
    /// (one more entry than there are buckets).
    regions: Vec<(usize, Vec<usize>)>,
}

impl Partition {
    fn new(records: &[Record], buckets: &Buckets) -> Self {
        let chunk = records
            .len()
            .div_ceil(parallel::parts(records.len()))
            .max(1);
        let chunks: Vec<&[Record]> = records.chunks(chunk).collect();
        let starts: Vec<Vec<usize>> = parallel::map_parts(chunks.clone(), |triangles| {
            let mut start = vec![0usize; buckets.count() + 1];
            for r in triangles {
                for key in keys(r) {
                    start[buckets.of(&key) + 1] += 1;
                }
            }
            for b in 0..buckets.count() {
                start[b + 1] += start[b];
            }
            start
        });

        let mut corners = vec![[0u32; 4]; records.len() * 3];
        let mut jobs = Vec::with_capacity(chunks.len());
        let mut rest = corners.as_mut_slice();
        for (t, triangles) in chunks.iter().enumerate() {
            let (region, tail) = rest.split_at_mut(triangles.len() * 3);
            rest = tail;
            jobs.push((t * chunk, *triangles, region, starts[t].clone()));
        }
        parallel::map_parts(jobs, |(first_triangle, triangles, region, mut fill)| {
            for (t, r) in triangles.iter().enumerate() {
                let index = 3 * (first_triangle + t) as u32;
                for (k, key) in keys(r).into_iter().enumerate() {
                    let slot = &mut fill[buckets.of(&key)];
                    region[*slot] = [key[0], key[1], key[2], index + k as u32];
                    *slot += 1;
                }
            }
        });

        let mut offset = 0;
        let regions = chunks
            .iter()
            .zip(starts)
            .map(|(triangles, start)| {
                let region = (offset, start);
                offset += triangles.len() * 3;
                region
            })
            .collect();
        Self { corners, regions }
    }

    /// For every corner, the index of the first corner at the same position.
    fn dedupe(&self, buckets: &Buckets) -> Vec<AtomicU32> {
        let first: Vec<AtomicU32> = (0..self.corners.len()).map(|_| AtomicU32::new(0)).collect();
        let all: Vec<usize> = (0..buckets.count()).collect();
        let per_part = all.len().div_ceil(parallel::parts(self.corners.len() / 3));
        let parts: Vec<&[usize]> = all.chunks(per_part.max(1)).collect();
        parallel::map_parts(parts, |part| {
            let mut table: Vec<u32> = Vec::new();
            for &b in part {
                // The bucket's corners, from every region in region (so corner) order,
                // as positions in `corners`; the table holds the first seen of each key.
                let slices = self
                    .regions
                    .iter()
                    .map(|(offset, start)| offset + start[b]..offset + start[b + 1]);
                let len: usize = slices.clone().map(|r| r.len()).sum();
                let size = (len * 2).next_power_of_two().max(16);
                let mask = size - 1;
                table.clear();
                table.resize(size, u32::MAX);
                for at in slices.flatten() {
                    let c = &self.corners[at];
                    let key = [c[0], c[1], c[2]];
                    let mut slot = buckets.hash(&key) as usize & mask;
                    loop {
                        let held = table[slot];
                        if held == u32::MAX {
                            table[slot] = at as u32;
                            first[c[3] as usize].store(c[3], Relaxed);
                            break;
                        }
                        let other = &self.corners[held as usize];
                        if other[..3] == key {
                            first[c[3] as usize].store(other[3], Relaxed);
                            break;
                        }
                        slot = (slot + 1) & mask;
                    }
                }
            }
        });
        first
    }
}

/// Numbers positions in order of first appearance and resolves every corner to its number.
fn number(records: &[Record], first: Vec<AtomicU32>) -> Welded {
    let chunk = first.len().div_ceil(parallel::parts(first.len())).max(3);
    let ranges: Vec<std::ops::Range<usize>> = (0..first.len())
        .step_by(chunk)
        .map(|s| s..(s + chunk).min(first.len()))
        .collect();

    // Which corners are first at their position, counted per range.
    let counts = parallel::map_parts(ranges.clone(), |range| {
        range
            .filter(|&c| first[c].load(Relaxed) as usize == c)
            .count()
    });
    let mut base = 0u32;
    let bases: Vec<u32> = counts
        .iter()
        .map(|&n| {
            let b = base;
            base += n as u32;
            b
        })
        .collect();

    // Number the first corners (flagged, so they can be told from pointers) and collect positions.
    let parts: Vec<_> = ranges.iter().cloned().zip(bases).collect();
    let pieces = parallel::map_parts(parts, |(range, mut next)| {
        let mut positions = Vec::new();
        for c in range {
            if first[c].load(Relaxed) as usize == c {
                first[c].store(next | FIRST, Relaxed);
                next += 1;
                positions.push(vertices(&records[c / 3])[c % 3]);
            }
        }
        positions
    });

    // Point every other corner at its first corner's number. Only first corners'
    // entries are read across threads, and those no longer change.
    parallel::map_parts(ranges, |range| {
        for c in range {
            let held = first[c].load(Relaxed);
            if held & FIRST == 0 {
                first[c].store(first[held as usize].load(Relaxed), Relaxed);
            }
        }
    });
    let corners = first.into_iter().map(|c| c.into_inner() & !FIRST).collect();
    Welded {
        corners,
        vertices: pieces.concat(),
    }
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

/// A seeded 64-bit hash of a position's bits (folded multiplies, as in foldhash).
#[inline(always)]
fn hash(key: &[u32; 3], seed: u64) -> u64 {
    const K1: u64 = 0x243f_6a88_85a3_08d3;
    const K2: u64 = 0x1319_8a2e_0370_7344;
    let xy = u64::from(key[0]) | (u64::from(key[1]) << 32);
    let h = fold(xy ^ seed, u64::from(key[2]) ^ K1);
    fold(h, seed ^ K2)
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
    fn every_corner_at_one_point_welds_to_one_vertex() {
        let t: Triangle = [[5.0; 3]; 3];
        let w = welded(&vec![t; 40_000]);
        assert_eq!(w.vertices.len(), 1);
        assert!(w.corners.iter().all(|&i| i == 0));
    }
}
