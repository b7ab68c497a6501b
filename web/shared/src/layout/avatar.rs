//! A person's picture, or their initial where there is none.

use yew::prelude::*;

/// A round picture of `name` from `url`, or their initial when `url` is empty. A plain function
/// rather than a component: it holds no state, and each component type costs the wasm a few
/// kilobytes of Yew's lifecycle code.
pub fn avatar(name: &str, url: &str) -> Html {
    if url.trim().is_empty() {
        html! { <span class="avatar" aria-hidden="true">{ initial(name) }</span> }
    } else {
        // The picture says nothing the name beside it does not: decorative.
        html! {
            <img class="avatar" src={url.to_owned()} alt="" loading="lazy"
                referrerpolicy="no-referrer" />
        }
    }
}

/// The first letter of a name, upper-cased.
fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_is_the_first_letter_or_digit_upper_cased() {
        assert_eq!(initial("mel Member"), "M");
        assert_eq!(initial("  (ölaf)"), "Ö");
        assert_eq!(initial(""), "");
    }
}
