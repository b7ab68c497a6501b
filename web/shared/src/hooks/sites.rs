//! Where this deployment serves each app, for links between them.

use yew::prelude::*;

use crate::config::{self, Sites};

/// The deployment's apps (from `/config.json`); every app on this origin until it has loaded.
#[hook]
pub fn use_sites() -> Sites {
    let sites = use_state(Sites::default);
    {
        let sites = sites.setter();
        use_effect_with((), move |()| {
            yew::platform::spawn_local(async move {
                sites.set(config::current().await.sites.clone());
            });
        });
    }
    (*sites).clone()
}
