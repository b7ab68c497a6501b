//! Edges and shells of a welded mesh: is it watertight, is it consistently oriented,
//! how many separate pieces does it hold.
//!
//! Edges are grouped by their lower vertex index with a counting sort (two streaming
//! passes), so each vertex's handful of edges can be counted locally. Shells come
//! from a union-find over vertices.

use crate::parallel;

/// What the edges and connectivity of a mesh say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Topology {
    /// Edges used by one triangle only: holes in the surface.
    pub boundary_edges: u64,
    /// Edges used by three or more triangles.
    pub non_manifold_edges: u64,
    /// Edges shared by two triangles that run them the same way: flipped neighbours.
    pub misoriented_edges: u64,
    /// Triangles with two corners at the same position (no area, no edges counted).
    pub degenerate_triangles: u64,
    /// Separate pieces: triangles connected through shared vertices.
    pub shells: u64,
}

impl Topology {
    /// Every edge is shared by exactly two triangles.
    pub fn watertight(&self) -> bool {
        self.boundary_edges == 0 && self.non_manifold_edges == 0
    }
}

/// Counts edges and shells of the triangles `corners` (three vertex indices each,
/// all below `vertex_count`, which is below 2³¹, and each vertex used by some
/// triangle, as welding gives them). `scratch` is memory to reuse for the edge lists
/// and their starts (whatever it holds), so that they need not fault in fresh pages.
pub(crate) fn topology(corners: &[u32], vertex_count: usize, scratch: [Vec<u32>; 2]) -> Topology {
    let triangles = corners.as_chunks::<3>().0;
    // Edges and shells read the same triangles and nothing of each other's: one core each.
    let jobs = vec![Job::Edges(scratch), Job::Shells];
    let split = parallel::threads() > 1 && triangles.len() >= parallel::MIN_PER_THREAD;
    let jobs = if split {
        parallel::map_parts(jobs, |job| job.run(triangles, vertex_count))
    } else {
        jobs.into_iter()
            .map(|job| job.run(triangles, vertex_count))
            .collect()
    };
    jobs.into_iter()
        .fold(Topology::default(), |sum, part| Topology {
            boundary_edges: sum.boundary_edges + part.boundary_edges,
            non_manifold_edges: sum.non_manifold_edges + part.non_manifold_edges,
            misoriented_edges: sum.misoriented_edges + part.misoriented_edges,
            degenerate_triangles: sum.degenerate_triangles + part.degenerate_triangles,
            shells: sum.shells + part.shells,
        })
}

enum Job {
    /// With memory to reuse for the edge lists and their starts.
    Edges([Vec<u32>; 2]),
    Shells,
}

impl Job {
    fn run(self, triangles: &[[u32; 3]], vertex_count: usize) -> Topology {
        match self {
            Self::Edges(scratch) => edges(triangles, vertex_count, scratch),
            Self::Shells => Topology {
                shells: shells(triangles, vertex_count),
                ..Topology::default()
            },
        }
    }
}

/// Counts boundary, non-manifold and misoriented edges, and degenerate triangles.
fn edges(triangles: &[[u32; 3]], vertex_count: usize, scratch: [Vec<u32>; 2]) -> Topology {
    let mut topology = Topology::default();
    let [mut edges, mut start] = scratch;

    // Counting sort of edges by lower endpoint: `start[v]..start[v + 1]` will hold v's
    // edges, each stored as `higher << 1 | runs_upward`.
    start.clear();
    start.resize(vertex_count + 1, 0);
    for &[a, b, c] in triangles {
        if a == b || b == c || c == a {
            topology.degenerate_triangles += 1;
            continue;
        }
        start[a.min(b) as usize] += 1;
        start[b.min(c) as usize] += 1;
        start[c.min(a) as usize] += 1;
    }
    // Running sums: `start[v]` is where v's edges end (and `start[vertex_count]` the
    // total); filling backwards moves each back to where they begin, with no second
    // array of cursors.
    for v in 1..=vertex_count {
        start[v] += start[v - 1];
    }
    edges.clear();
    edges.resize(start[vertex_count] as usize, 0);
    // Last triangle first, so that each list ends up in file order, which on a mesh's
    // local order is nearly sorted already: the sort below then has little to do.
    for &[a, b, c] in triangles.iter().rev() {
        if a == b || b == c || c == a {
            continue;
        }
        for (from, to) in [(c, a), (b, c), (a, b)] {
            let (low, high, upward) = if from < to {
                (from, to, 1)
            } else {
                (to, from, 0)
            };
            let cursor = &mut start[low as usize];
            *cursor -= 1;
            edges[*cursor as usize] = high << 1 | upward;
        }
    }

    for v in 0..vertex_count {
        let list = &mut edges[start[v] as usize..start[v + 1] as usize];
        insertion_sort(list);
        let mut i = 0;
        while i < list.len() {
            let other = list[i] >> 1;
            let run = list[i..].iter().take_while(|&&e| e >> 1 == other).count();
            match run {
                1 => topology.boundary_edges += 1,
                2 if list[i] == list[i + 1] => topology.misoriented_edges += 1,
                2 => {}
                _ => topology.non_manifold_edges += 1,
            }
            i += run;
        }
    }
    topology
}

/// Sorts a vertex's few edges; falls back to the standard sort for a crowded vertex.
fn insertion_sort(list: &mut [u32]) {
    if list.len() > 24 {
        list.sort_unstable();
        return;
    }
    for i in 1..list.len() {
        let mut j = i;
        while j > 0 && list[j - 1] > list[j] {
            list.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Number of groups of triangles connected through shared vertices, every vertex
/// being used by some triangle.
fn shells(triangles: &[[u32; 3]], vertex_count: usize) -> u64 {
    let mut parent: Vec<u32> = (0..vertex_count as u32).collect();
    for &[a, b, c] in triangles {
        // Link the three roots under the earliest: a root is the first-seen vertex of
        // its group, which with path halving keeps finds short on the local orders
        // meshes come in.
        let roots = [a, b, c].map(|v| find(&mut parent, v));
        let root = roots[0].min(roots[1]).min(roots[2]);
        for r in roots {
            parent[r as usize] = root;
        }
    }
    (0..vertex_count)
        .filter(|&v| parent[v] as usize == v)
        .count() as u64
}

fn find(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        // Path halving keeps the trees flat without recursion.
        let grand = parent[parent[v as usize] as usize];
        parent[v as usize] = grand;
        v = grand;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(corners: &[u32]) -> Topology {
        let n = corners.iter().max().map_or(0, |&m| m as usize + 1);
        topology(corners, n, [Vec::new(), Vec::new()])
    }

    /// The four faces of a tetrahedron on vertices 0..4, outward.
    const TETRA: [u32; 12] = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];

    #[test]
    fn a_tetrahedron_is_watertight_oriented_and_one_shell() {
        let t = count(&TETRA);
        assert!(t.watertight());
        assert_eq!(t.misoriented_edges, 0);
        assert_eq!(t.shells, 1);
    }

    #[test]
    fn a_missing_face_leaves_three_boundary_edges() {
        let t = count(&TETRA[..9]);
        assert!(!t.watertight());
        assert_eq!(t.boundary_edges, 3);
    }

    #[test]
    fn a_flipped_face_makes_its_three_edges_misoriented() {
        let mut corners = TETRA;
        corners.swap(10, 11);
        let t = count(&corners);
        assert!(t.watertight());
        assert_eq!(t.misoriented_edges, 3);
    }

    #[test]
    fn a_fin_on_an_edge_makes_it_non_manifold() {
        let mut corners = TETRA.to_vec();
        corners.extend([0, 1, 4, 4, 1, 0]);
        let t = count(&corners);
        assert_eq!(t.non_manifold_edges, 1);
        assert!(!t.watertight());
    }

    #[test]
    fn two_separate_tetrahedra_are_two_shells() {
        let mut corners = TETRA.to_vec();
        corners.extend(TETRA.iter().map(|v| v + 4));
        assert_eq!(count(&corners).shells, 2);
    }

    #[test]
    fn degenerate_triangles_are_counted_and_add_no_edges() {
        let mut corners = TETRA.to_vec();
        corners.extend([0, 0, 1]);
        let t = count(&corners);
        assert_eq!(t.degenerate_triangles, 1);
        assert!(t.watertight());
    }

    #[test]
    fn a_vertex_with_many_edges_is_sorted_correctly() {
        // A fan of 40 triangles around vertex 0, closed into a cone with a matching fan.
        let ring = 40u32;
        let mut corners = Vec::new();
        for i in 0..ring {
            let (a, b) = (1 + i, 1 + (i + 1) % ring);
            corners.extend([0, a, b]);
            corners.extend([ring + 1, b, a]);
        }
        let t = count(&corners);
        assert!(t.watertight());
        assert_eq!(t.misoriented_edges, 0);
        assert_eq!(t.shells, 1);
    }
}
