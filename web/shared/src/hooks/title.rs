//! The browser tab's title.

use yew::prelude::*;

/// Sets the document title to `title`, followed by the site's name.
#[hook]
pub fn use_title(title: String) {
    use_effect_with(title, |title| {
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            let full = if title.is_empty() {
                "MakrX".to_owned()
            } else {
                format!("{title} · MakrX")
            };
            document.set_title(&full);
        }
    });
}
