//! `/profile`: the signed-in person's profile, to view and edit.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::{Notice, Tone};
use makrx_web::remote::Remote;
use makrx_web::session::{self, SessionStatus, use_session};
use yew::prelude::*;

use crate::components::ProfileForm;
use crate::hooks::use_profile_form;
use crate::services;
use crate::types::Profile;

/// The profile page.
#[function_component]
pub fn ProfilePage() -> Html {
    use_title("Your profile".to_owned());
    let session = use_session();
    let body = match &session.status {
        SessionStatus::Unknown => loading(),
        SessionStatus::SignedOut => sign_in_prompt(),
        SessionStatus::SignedIn(user) => html! { <ProfileLoader user_id={user.id.clone()} /> },
    };
    html! { <div class="profile-page">{ body }</div> }
}

/// What a visitor who is not signed in sees: an invitation, not an error.
fn sign_in_prompt() -> Html {
    html! {
        <Notice title="Sign in to see your profile">
            <p>{ "Your profile is how other makers of the network see you: your name, a few words and a picture." }</p>
            <button class="button" type="button" onclick={|_| session::sign_in()}>{ "Sign in" }</button>
        </Notice>
    }
}

fn loading() -> Html {
    html! {
        <div class="profile-form profile-form--placeholder" aria-busy="true">
            <p class="visually-hidden" role="status">{ "Loading your profile…" }</p>
        </div>
    }
}

/// Properties of [`ProfileLoader`].
#[derive(Properties, PartialEq)]
struct ProfileLoaderProps {
    /// Whose profile: loaded again should someone else sign in.
    user_id: String,
}

/// Loads the profile, then shows the form.
#[function_component]
fn ProfileLoader(props: &ProfileLoaderProps) -> Html {
    let profile = use_remote(props.user_id.clone(), |_| services::my_profile());
    match &*profile.state {
        Remote::Loading => loading(),
        // The session ended at the issuer since this page knew it: as for anyone signed out.
        Remote::Failed(error) if error.is_unauthenticated() => sign_in_prompt(),
        Remote::Failed(error) => html! {
            <Notice title="Your profile could not be loaded" tone={Tone::Problem}>
                <p>{ error.to_string() }</p>
                <button class="button" type="button" onclick={profile.retry.reform(|_| ())}>
                    { "Try again" }
                </button>
            </Notice>
        },
        Remote::Ready(loaded) => html! { <ProfileEditor profile={loaded.clone()} /> },
    }
}

/// Properties of [`ProfileEditor`].
#[derive(Properties, PartialEq)]
struct ProfileEditorProps {
    profile: Profile,
}

#[function_component]
fn ProfileEditor(props: &ProfileEditorProps) -> Html {
    let form = use_profile_form(props.profile.clone());
    html! {
        <ProfileForm saved={form.saved} draft={form.draft} state={form.state}
            on_edit={form.on_edit} on_save={form.on_save} />
    }
}
