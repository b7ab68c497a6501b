//! A part's picture, drawn from its STL file's own bytes in the browser, before (and whatever
//! becomes of) its upload: the triangles of a binary or an ASCII STL, thinned to a few
//! thousand, seen from above a corner (isometric), far ones first so that near ones cover them
//! (the painter's way), each shaded by how squarely it faces the light. Pure, so that tests run
//! it natively.

use std::fmt::{self, Write};

/// At most this many triangles are drawn: a larger mesh keeps every n-th.
pub const MOST_TRIANGLES: usize = 15_000;

/// A triangle's corners, mm.
pub type Triangle = [[f32; 3]; 3];

/// Why a file cannot be previewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Neither a binary STL whose size matches its triangle count (a file cut short fails
    /// that) nor an ASCII one.
    NotStl,
    /// An ASCII STL whose vertices do not read as three numbers each, in threes.
    BadText,
    /// Not one triangle with an area.
    Empty,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotStl => {
                "it is not an STL file, or it was cut short (its size does not match the triangles it counts)"
            }
            Self::BadText => "its text does not read as an STL file's vertices",
            Self::Empty => "it holds no triangle to draw",
        })
    }
}

/// The triangles read from a file, thinned.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    /// At most the number asked for, taken at an even stride.
    pub triangles: Vec<Triangle>,
    /// How many the file holds.
    pub total: usize,
}

/// Reads an STL file's triangles, keeping at most `most` of them at an even stride.
pub fn read(bytes: &[u8], most: usize) -> Result<Mesh, Unreadable> {
    let counted = bytes
        .get(80..84)
        .and_then(|count| count.try_into().ok())
        .map(|count| 84 + 50 * u64::from(u32::from_le_bytes(count)));
    // A binary file's header may start with `solid` too: its exact size tells it apart.
    if counted == Some(bytes.len() as u64) {
        let facets = bytes[84..].chunks_exact(50);
        let total = facets.len();
        let triangles = facets
            .step_by(stride(total, most))
            .map(|facet| {
                let number = |at: usize| f32::from_le_bytes([0, 1, 2, 3].map(|i| facet[at + i]));
                [0, 1, 2].map(|corner| [0, 1, 2].map(|axis| number(12 + 12 * corner + 4 * axis)))
            })
            .collect();
        return Ok(Mesh { triangles, total });
    }
    match std::str::from_utf8(bytes) {
        // Text has no NUL, where a binary header's padding has.
        Ok(text) if text.trim_start().starts_with("solid") && !text.contains('\0') => {
            ascii(text, most)
        }
        _ => Err(Unreadable::NotStl),
    }
}

/// An ASCII STL's triangles: every `vertex x y z`, in threes.
fn ascii(text: &str, most: usize) -> Result<Mesh, Unreadable> {
    let mut corners = Vec::new();
    let mut words = text.split_ascii_whitespace();
    while let Some(word) = words.next() {
        if word.eq_ignore_ascii_case("vertex") {
            let mut corner = [0.0; 3];
            for axis in &mut corner {
                *axis = words
                    .next()
                    .and_then(|number| number.parse().ok())
                    .ok_or(Unreadable::BadText)?;
            }
            corners.push(corner);
        }
    }
    if !corners.len().is_multiple_of(3) {
        return Err(Unreadable::BadText);
    }
    let total = corners.len() / 3;
    let triangles = corners
        .chunks_exact(3)
        .step_by(stride(total, most))
        .map(|corners| [corners[0], corners[1], corners[2]])
        .collect();
    Ok(Mesh { triangles, total })
}

/// Every how many triangles one is kept, to keep at most `most` of `total`.
fn stride(total: usize, most: usize) -> usize {
    total.div_ceil(most.max(1)).max(1)
}

/// A triangle as drawn: its corners on the page and how brightly it is lit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    pub corners: [[f32; 2]; 3],
    /// From 0 (facing away from the light) to 1 (facing it squarely).
    pub light: f32,
}

/// A part drawn: its faces, far ones first, in a view box that fits them.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub faces: Vec<Face>,
    /// Its width and height; the faces lie within, a margin around them.
    pub size: [f32; 2],
    /// How many triangles the file holds (more than the faces when it was thinned).
    pub total: usize,
}

/// The longer side of a drawing, in its own units.
const SPAN: f32 = 1000.0;
/// The margin around the part, in the same units.
const MARGIN: f32 = 20.0;
/// Where the viewer looks from: above the corner where x and y grow.
const VIEWER: [f32; 3] = [0.577_350_3, 0.577_350_3, 0.577_350_3];
/// Where the light comes from: above, a little from the left and the front.
const LIGHT: [f32; 3] = [0.287_347_2, 0.492_595_2, 0.820_992];

/// Draws a mesh, isometric and flat-shaded. Both sides of a triangle are lit alike, so a file
/// whose triangles face inwards still draws right.
pub fn draw(mesh: &Mesh) -> Result<Drawing, Unreadable> {
    let mut faces: Vec<(f32, Face)> = mesh
        .triangles
        .iter()
        .filter(|triangle| {
            triangle
                .as_flattened()
                .iter()
                .all(|value| value.is_finite())
        })
        .filter_map(|&[a, b, c]| {
            let normal = unit(cross(minus(b, a), minus(c, a)))?;
            let towards = if dot(normal, VIEWER) < 0.0 { -1.0 } else { 1.0 };
            let depth = (dot(a, VIEWER) + dot(b, VIEWER) + dot(c, VIEWER)) / 3.0;
            let face = Face {
                corners: [a, b, c].map(project),
                light: (towards * dot(normal, LIGHT)).max(0.0),
            };
            Some((depth, face))
        })
        .collect();
    if faces.is_empty() {
        return Err(Unreadable::Empty);
    }
    faces.sort_by(|(near, _), (far, _)| near.total_cmp(far));
    let corners = || faces.iter().flat_map(|(_, face)| face.corners);
    let low = corners().fold([f32::MAX; 2], |low, [x, y]| [low[0].min(x), low[1].min(y)]);
    let high = corners().fold([f32::MIN; 2], |high, [x, y]| {
        [high[0].max(x), high[1].max(y)]
    });
    let extent = [high[0] - low[0], high[1] - low[1]];
    let scale = SPAN / extent[0].max(extent[1]).max(f32::EPSILON);
    let fitted = |[x, y]: [f32; 2]| [MARGIN + (x - low[0]) * scale, MARGIN + (y - low[1]) * scale];
    Ok(Drawing {
        faces: faces
            .into_iter()
            .map(|(_, face)| Face {
                corners: face.corners.map(fitted),
                ..face
            })
            .collect(),
        size: extent.map(|side| side * scale + 2.0 * MARGIN),
        total: mesh.total,
    })
}

/// Reads and draws an STL file, at most [`MOST_TRIANGLES`] of its triangles.
pub fn preview(bytes: &[u8]) -> Result<Drawing, Unreadable> {
    draw(&read(bytes, MOST_TRIANGLES)?)
}

impl Drawing {
    /// The SVG `viewBox` that holds it.
    pub fn view_box(&self) -> String {
        format!("0 0 {:.0} {:.0}", self.size[0], self.size[1])
    }

    /// Its faces as SVG polygons, far ones first, each filled (and outlined, so no seam shows
    /// between neighbours) with its shade of orange.
    pub fn polygons(&self) -> String {
        let mut svg = String::with_capacity(self.faces.len() * 80);
        for face in &self.faces {
            let [[ax, ay], [bx, by], [cx, cy]] = face.corners;
            let colour = shade(face.light);
            // Writing to a String cannot fail.
            let _ = write!(
                svg,
                r#"<polygon points="{ax:.1},{ay:.1} {bx:.1},{by:.1} {cx:.1},{cy:.1}" fill="{colour}" stroke="{colour}"/>"#
            );
        }
        svg
    }
}

/// The part's orange, from its shadow to its highlight, for `light` from 0 to 1.
fn shade(light: f32) -> String {
    const DARK: [f32; 3] = [122.0, 42.0, 10.0];
    const BRIGHT: [f32; 3] = [255.0, 179.0, 138.0];
    let along = 0.25 + 0.75 * light.clamp(0.0, 1.0);
    let [r, g, b] = [0, 1, 2].map(|i| (DARK[i] + (BRIGHT[i] - DARK[i]) * along).round() as u8);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Where a point lands on the page, y downwards: x runs right and down, y left and down, z up.
fn project([x, y, z]: [f32; 3]) -> [f32; 2] {
    const COS_30: f32 = 0.866_025_4;
    [(x - y) * COS_30, (x + y) * 0.5 - z]
}

fn minus(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn cross(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The vector at length 1; none for a triangle without an area.
fn unit(v: [f32; 3]) -> Option<[f32; 3]> {
    let length = dot(v, v).sqrt();
    (length > 0.0 && length.is_finite()).then(|| v.map(|part| part / length))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cube of side `side` at the origin: 12 triangles, wound outwards.
    fn cube(side: f32) -> Vec<Triangle> {
        let corner = |i: usize| [(i & 1) as f32, ((i >> 1) & 1) as f32, ((i >> 2) & 1) as f32];
        let quads = [
            [0, 2, 3, 1],
            [4, 5, 7, 6],
            [0, 1, 5, 4],
            [2, 6, 7, 3],
            [0, 4, 6, 2],
            [1, 3, 7, 5],
        ];
        quads
            .iter()
            .flat_map(|&[a, b, c, d]| [[a, b, c], [a, c, d]])
            .map(|triangle| triangle.map(|i| corner(i).map(|value| value * side)))
            .collect()
    }

    fn binary(triangles: &[Triangle]) -> Vec<u8> {
        let mut bytes = b"solid but binary, as some exporters write it".to_vec();
        bytes.resize(80, 0);
        bytes.extend((triangles.len() as u32).to_le_bytes());
        for triangle in triangles {
            bytes.extend([0; 12]);
            for value in triangle.as_flattened() {
                bytes.extend(value.to_le_bytes());
            }
            bytes.extend([0; 2]);
        }
        bytes
    }

    fn ascii(triangles: &[Triangle]) -> String {
        let mut text = "solid cube\n".to_owned();
        for triangle in triangles {
            text.push_str("  facet normal 0 0 0\n    outer loop\n");
            for [x, y, z] in triangle {
                text.push_str(&format!("      vertex {x:e} {y} {z}\n"));
            }
            text.push_str("    endloop\n  endfacet\n");
        }
        text + "endsolid cube\n"
    }

    #[test]
    fn a_cube_draws_as_its_twelve_triangles_fitted_to_the_view() {
        let drawing = preview(&binary(&cube(20.0))).expect("a cube draws");

        assert_eq!(drawing.faces.len(), 12);
        assert_eq!(drawing.total, 12);
        // Seen from a corner, a cube is as wide as two face diagonals' shadows (2 cos 30°) and
        // as tall as two sides: the taller side fills the span.
        let [width, height] = drawing.size;
        assert!((height - (SPAN + 2.0 * MARGIN)).abs() < 0.01, "{height}");
        assert!(
            (width - (SPAN * 0.866 + 2.0 * MARGIN)).abs() < 1.0,
            "{width}"
        );
        assert_eq!(drawing.view_box(), "0 0 906 1040");
        for [x, y] in drawing.faces.iter().flat_map(|face| face.corners) {
            assert!((MARGIN - 0.01..=width - MARGIN + 0.01).contains(&x), "{x}");
            assert!((MARGIN - 0.01..=height - MARGIN + 0.01).contains(&y), "{y}");
        }
        assert_eq!(drawing.polygons().matches("<polygon ").count(), 12);
    }

    #[test]
    fn near_triangles_are_drawn_over_far_ones() {
        let high = [[0.0, 0.0, 10.0], [10.0, 0.0, 10.0], [0.0, 10.0, 10.0]];
        let low = high.map(|[x, y, _]| [x, y, 0.0]);
        let drawing = draw(&Mesh {
            triangles: vec![high, low],
            total: 2,
        })
        .expect("draws");
        let top = |face: &Face| {
            face.corners
                .map(|[_, y]| y)
                .into_iter()
                .fold(f32::MAX, f32::min)
        };
        assert!(
            top(&drawing.faces[1]) < top(&drawing.faces[0]),
            "{drawing:?}"
        );
    }

    #[test]
    fn a_triangle_is_lit_by_how_squarely_it_faces_the_light_whichever_way_it_is_wound() {
        let lit = |triangle: Triangle| {
            draw(&Mesh {
                triangles: vec![triangle],
                total: 1,
            })
            .expect("draws")
            .faces[0]
                .light
        };
        let up = lit([[0.0; 3], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
        let inside_out = lit([[0.0; 3], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]);
        let left = lit([[0.0; 3], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
        let right = lit([[0.0; 3], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);
        assert_eq!(up, inside_out);
        assert!(
            up > left && left > right && right > 0.0,
            "{up} {left} {right}"
        );
        assert_ne!(shade(up), shade(left));
    }

    #[test]
    fn ascii_and_binary_read_alike() {
        let triangles = cube(12.5);
        let from_binary = read(&binary(&triangles), MOST_TRIANGLES).expect("binary reads");
        let from_text = read(ascii(&triangles).as_bytes(), MOST_TRIANGLES).expect("ASCII reads");

        assert_eq!(from_binary.triangles, triangles);
        assert_eq!(from_text, from_binary);
        assert_eq!(
            draw(&from_text).expect("draws"),
            draw(&from_binary).expect("draws")
        );
    }

    #[test]
    fn a_file_cut_short_or_of_another_kind_is_refused() {
        let whole = binary(&cube(20.0));
        assert_eq!(
            read(&whole[..whole.len() - 7], 100),
            Err(Unreadable::NotStl)
        );
        assert_eq!(read(&whole[..60], 100), Err(Unreadable::NotStl));
        assert_eq!(read(b"", 100), Err(Unreadable::NotStl));
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n not a part", 100),
            Err(Unreadable::NotStl)
        );
        let text = ascii(&cube(20.0));
        let cut = &text[..text.find("vertex 2e1").expect("a vertex") + 10];
        assert_eq!(read(cut.as_bytes(), 100), Err(Unreadable::BadText));
        assert_eq!(
            read(b"solid x facet outer loop vertex 1 2 three", 100),
            Err(Unreadable::BadText)
        );
        assert_eq!(
            preview(b"solid nothing\nendsolid nothing\n"),
            Err(Unreadable::Empty)
        );
        assert_eq!(preview(&binary(&[])), Err(Unreadable::Empty));
    }

    #[test]
    fn flat_and_broken_triangles_are_left_out() {
        let mut triangles = cube(20.0);
        triangles.push([[0.0; 3], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]);
        triangles.push([[f32::NAN, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
        let drawing = preview(&binary(&triangles)).expect("draws");
        assert_eq!(drawing.faces.len(), 12);
        assert_eq!(drawing.total, 14);
        assert_eq!(
            preview(&binary(&[[[0.0; 3], [1.0; 3], [2.0; 3]]])),
            Err(Unreadable::Empty)
        );
    }

    #[test]
    fn a_large_mesh_is_thinned_at_an_even_stride() {
        let many: Vec<Triangle> = (0..40_000)
            .map(|i| {
                let x = i as f32;
                [[x, 0.0, 0.0], [x + 1.0, 0.0, 0.0], [x, 1.0, 0.0]]
            })
            .collect();
        let mesh = read(&binary(&many), MOST_TRIANGLES).expect("reads");
        assert_eq!(mesh.total, 40_000);
        assert_eq!(mesh.triangles.len(), 13_334);
        assert_eq!(mesh.triangles[1], many[3]);
        let drawing = draw(&mesh).expect("draws");
        assert_eq!(drawing.faces.len(), 13_334);
        assert_eq!(drawing.total, 40_000);
        assert_eq!(
            read(&binary(&many[..15_000]), MOST_TRIANGLES).map(|mesh| mesh.triangles.len()),
            Ok(15_000)
        );
    }
}
