//! QR codes drawn as SVG by the app, to print as labels: scanning one opens a page.

use qrcode::{Color, QrCode};
use yew::prelude::*;

/// Properties of [`QrLabel`].
#[derive(Properties, PartialEq)]
pub struct QrLabelProps {
    /// What it labels (a machine's, an item's or a place's name), printed under the code.
    pub name: AttrValue,
    /// A second line under the name: an item's SKU.
    #[prop_or_default]
    pub detail: Option<AttrValue>,
    /// The address the code opens: the thing's page.
    pub url: AttrValue,
}

/// A QR code as SVG with a name under it, to print and stick on a machine, a bin or a shelf.
#[function_component]
pub fn QrLabel(props: &QrLabelProps) -> Html {
    let Some((width, path)) = qr_path(&props.url) else {
        return html! { <p class="bookings__empty">{ "This address is too long for a QR code." }</p> };
    };
    // A quiet zone of four modules on every side, as scanners expect.
    let view_box = format!("-4 -4 {} {}", width + 8, width + 8);
    html! {
        <figure class="qr">
            <svg class="qr__code" viewBox={view_box} role="img" aria-label={format!("QR code opening {}", props.url)}
                xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">
                <rect x="-4" y="-4" width={(width + 8).to_string()} height={(width + 8).to_string()} fill="#fff" />
                <path d={path} fill="#000" />
            </svg>
            <figcaption class="qr__name">
                { props.name.clone() }
                if let Some(detail) = &props.detail {
                    <span class="qr__detail">{ detail.clone() }</span>
                }
            </figcaption>
        </figure>
    }
}

/// The side of `text`'s QR code in modules, and an SVG path of its dark modules (one unit
/// square each, runs of a row joined).
pub fn qr_path(text: &str) -> Option<(usize, String)> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..]
                    .iter()
                    .take_while(|color| **color == Color::Dark)
                    .count();
                path.push_str(&format!("M{x} {y}h{run}v1h-{run}z"));
                x += run;
            } else {
                x += 1;
            }
        }
    }
    Some((width, path))
}
