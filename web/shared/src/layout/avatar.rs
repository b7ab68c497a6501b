//! A person's picture, or their initial where there is none.

use web_sys::HtmlElement;
use yew::prelude::*;

/// A round picture of `name` from `url`, over their initial, which shows when there is no
/// picture or it does not load. A plain function rather than a component: it holds no state,
/// and each component type costs the wasm a few kilobytes of Yew's lifecycle code.
pub fn avatar(name: &str, url: &str) -> Html {
    let url = url.trim();
    // A picture that fails to load steps aside for the initial instead of a broken image.
    let step_aside = Callback::from(|event: Event| {
        if let Some(picture) = event.target_dyn_into::<HtmlElement>() {
            picture.set_hidden(true);
        }
    });
    html! {
        <span class="avatar" aria-hidden="true">
            { initial(name) }
            if !url.is_empty() {
                // Keyed by its address: a new address is a new element, not hidden by the last
                // one's failure. The picture says nothing the name beside it does not.
                <img key={url.to_owned()} class="avatar__picture" src={url.to_owned()} alt=""
                    loading="lazy" referrerpolicy="no-referrer" onerror={step_aside} />
            }
        </span>
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
