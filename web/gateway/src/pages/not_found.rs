//! Any address the gateway does not have.

use makrx_web::hooks::use_title;
use makrx_web::layout::Notice;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// The not-found page.
#[function_component]
pub fn NotFound() -> Html {
    use_title("Not found".to_owned());
    html! {
        <Notice title="There is nothing at this address">
            <p>{ "The link may be old, or the address mistyped." }</p>
            <Link<Route> to={Route::Landing} classes="button">{ "See all makerspaces" }</Link<Route>>
        </Notice>
    }
}
