//! Any address the gateway does not have.

use makrx_web::layout;
use yew::prelude::*;

use crate::app::Route;

/// The not-found page.
#[function_component]
pub fn NotFound() -> Html {
    html! { <layout::NotFound<Route> home={Route::Landing} home_label="See all makerspaces" /> }
}
