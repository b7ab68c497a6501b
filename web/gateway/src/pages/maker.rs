//! `/makers/<id>`: a maker's public profile, for anyone, signed in or not.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{MakerProfile, is_no_such_maker};
use crate::services;

/// Properties of [`MakerPage`].
#[derive(Properties, PartialEq)]
pub struct MakerPageProps {
    /// The maker's API id.
    pub id: AttrValue,
}

/// A maker's page.
#[function_component]
pub fn MakerPage(props: &MakerPageProps) -> Html {
    let maker = use_remote(props.id.to_string(), services::maker);
    let title = match &*maker.state {
        Remote::Ready(maker) => maker.display_name.clone(),
        Remote::Failed(error) if is_no_such_maker(error) => "No such maker".to_owned(),
        _ => "Maker".to_owned(),
    };
    use_title(title);
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Projects}>{ "← All projects" }</Link<Route>>
            </nav>
            <MakerProfile maker={(*maker.state).clone()} on_retry={maker.retry.clone()} />
        </>
    }
}
