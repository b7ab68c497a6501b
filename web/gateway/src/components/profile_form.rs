//! The profile form: display name, bio and avatar URL, with the API's verdict on each field
//! beside it.

use makrx_web::form::{Control, TextField, error_for};
use makrx_web::layout::avatar;
use yew::prelude::*;

use crate::hooks::SaveState;
use crate::types::{Profile, ProfileDraft};

/// The input fields the form edits, as `UpdateProfileInput` names them.
const FIELDS: [&str; 3] = ["displayName", "bio", "avatarUrl"];

/// Properties of [`ProfileForm`].
#[derive(Properties, PartialEq)]
pub struct ProfileFormProps {
    /// The profile as saved: its picture and email head the form.
    pub saved: Profile,
    /// The fields as typed.
    pub draft: ProfileDraft,
    /// Where saving stands.
    #[prop_or_default]
    pub state: SaveState,
    /// Each change to a field.
    pub on_edit: Callback<ProfileDraft>,
    /// The form was submitted.
    pub on_save: Callback<()>,
}

/// Edits a profile.
#[function_component]
pub fn ProfileForm(props: &ProfileFormProps) -> Html {
    let errors = match &props.state {
        SaveState::Failed(error) => error.field_errors(),
        _ => Vec::new(),
    };
    // A failure that names none of the fields (the network, a refusal) is said once, above
    // the button.
    let problem = match &props.state {
        SaveState::Failed(error) if !errors.iter().any(|e| FIELDS.contains(&e.field.as_str())) => {
            Some(error.to_string())
        }
        SaveState::Failed(_) => {
            Some("Some fields need another look; see the notes beside them.".to_owned())
        }
        _ => None,
    };
    let edit = |change: fn(&mut ProfileDraft, String)| {
        let draft = props.draft.clone();
        let on_edit = props.on_edit.clone();
        Callback::from(move |text| {
            let mut draft = draft.clone();
            change(&mut draft, text);
            on_edit.emit(draft);
        })
    };
    let onsubmit = {
        let on_save = props.on_save.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_save.emit(());
        })
    };
    let unchanged = props.draft.changes_since(&props.saved).is_empty();
    let saving = props.state == SaveState::Saving;
    html! {
        // The API decides what is valid; the browser's own checks would only say it twice,
        // differently.
        <form class="profile-form" novalidate=true {onsubmit} aria-busy={saving.then_some("true")}>
            <header class="profile-form__head">
                { avatar(&props.saved.display_name, &props.saved.avatar_url) }
                <div class="profile-form__who">
                    <h1 class="profile-form__name">{ &props.saved.display_name }</h1>
                    if let Some(email) = &props.saved.email {
                        <p class="profile-form__email">{ email }</p>
                    }
                </div>
            </header>
            <TextField name="displayName" label="Display name"
                value={props.draft.display_name.clone()}
                hint="How other makers see you across MakrX."
                error={error_for(&errors, "displayName")} autocomplete="name"
                on_input={edit(|draft, text| draft.display_name = text)} />
            <TextField name="bio" label="Bio" control={Control::Paragraph}
                value={props.draft.bio.clone()}
                hint="A few words about what you make. Optional."
                error={error_for(&errors, "bio")}
                on_input={edit(|draft, text| draft.bio = text)} />
            <TextField name="avatarUrl" label="Avatar URL" control={Control::Url}
                value={props.draft.avatar_url.clone()}
                hint="The address of a picture of you, starting with https://. Optional."
                error={error_for(&errors, "avatarUrl")} autocomplete="photo"
                on_input={edit(|draft, text| draft.avatar_url = text)} />
            if let Some(problem) = problem {
                <p class="form-problem" role="alert">{ problem }</p>
            }
            <div class="profile-form__actions">
                <button class="button" type="submit" disabled={saving || unchanged}>
                    { if saving { "Saving…" } else { "Save changes" } }
                </button>
                <p class="profile-form__saved" role="status">
                    if props.state == SaveState::Saved {
                        <span class="icon icon--check" aria-hidden="true"></span>
                        { "Saved" }
                    }
                </p>
            </div>
        </form>
    }
}
