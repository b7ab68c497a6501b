//! The profile form's state: what is typed, what is saved, and where saving stands.

use std::rc::Rc;

use makrx_web::graphql::RequestError;
use makrx_web::session;
use yew::prelude::*;

use crate::services;
use crate::types::{Profile, ProfileDraft};

/// Where saving the profile stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SaveState {
    /// Nothing sent since the last change.
    #[default]
    Editing,
    /// The changes are on their way.
    Saving,
    /// The changes were saved, and nothing was typed since.
    Saved,
    /// The API refused or could not be reached; a `VALIDATION_ERROR` names its fields. Stays
    /// until the next save, so that fixing one field does not hide the others' errors.
    Failed(RequestError),
}

/// What [`use_profile_form`] gives the page.
pub struct ProfileFormHandle {
    /// The profile as last saved.
    pub saved: Profile,
    /// The fields as typed.
    pub draft: ProfileDraft,
    /// Where saving stands.
    pub state: SaveState,
    /// Takes the fields as typed.
    pub on_edit: Callback<ProfileDraft>,
    /// Saves what changed.
    pub on_save: Callback<()>,
}

#[derive(Debug, PartialEq)]
struct Form {
    saved: Profile,
    draft: ProfileDraft,
    state: SaveState,
}

enum Action {
    Typed(ProfileDraft),
    Saving,
    Saved(Profile),
    Failed(RequestError),
}

impl Reducible for Form {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let form = match action {
            Action::Typed(draft) => Form {
                saved: self.saved.clone(),
                draft,
                state: match &self.state {
                    SaveState::Saved => SaveState::Editing,
                    other => other.clone(),
                },
            },
            Action::Saving => Form {
                saved: self.saved.clone(),
                draft: self.draft.clone(),
                state: SaveState::Saving,
            },
            Action::Saved(profile) => Form {
                draft: ProfileDraft::of(&profile),
                saved: profile,
                state: SaveState::Saved,
            },
            Action::Failed(error) => Form {
                saved: self.saved.clone(),
                draft: self.draft.clone(),
                state: SaveState::Failed(error),
            },
        };
        Rc::new(form)
    }
}

/// The form for `profile`, as loaded.
#[hook]
pub fn use_profile_form(profile: Profile) -> ProfileFormHandle {
    let form = use_reducer(move || Form {
        draft: ProfileDraft::of(&profile),
        saved: profile,
        state: SaveState::Editing,
    });
    let on_edit = {
        let form = form.dispatcher();
        Callback::from(move |draft| form.dispatch(Action::Typed(draft)))
    };
    let on_save = {
        let form = form.clone();
        Callback::from(move |()| {
            let changes = form.draft.changes_since(&form.saved);
            if changes.is_empty() || form.state == SaveState::Saving {
                return;
            }
            form.dispatch(Action::Saving);
            let form = form.dispatcher();
            yew::platform::spawn_local(async move {
                match services::update_my_profile(changes).await {
                    Ok(profile) => {
                        // The header shows the new name at once, not after the next sign-in.
                        session::renamed(profile.display_name.clone());
                        form.dispatch(Action::Saved(profile));
                    }
                    Err(error) => form.dispatch(Action::Failed(error)),
                }
            });
        })
    };
    ProfileFormHandle {
        saved: form.saved.clone(),
        draft: form.draft.clone(),
        state: form.state.clone(),
        on_edit,
        on_save,
    }
}
