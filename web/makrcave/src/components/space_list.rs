//! The makerspaces a person belongs to, with their role in each.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::types::MySpace;

/// Properties of [`SpaceList`].
#[derive(Properties, PartialEq)]
pub struct SpaceListProps {
    /// The spaces, by name.
    pub spaces: Vec<MySpace>,
    /// Where the network's makerspaces are listed, to find one to join.
    pub directory: Option<AttrValue>,
}

/// The person's spaces, or where to find one.
#[function_component]
pub fn SpaceList(props: &SpaceListProps) -> Html {
    if props.spaces.is_empty() {
        return html! {
            <div class="notice">
                <h2 class="notice__title">{ "You do not belong to a makerspace yet" }</h2>
                <div class="notice__body">
                    <p>{ "A makerspace invites its members. Find one near you and ask to join." }</p>
                    if let Some(directory) = &props.directory {
                        <a class="button" href={directory.clone()}>{ "Find a makerspace" }</a>
                    }
                </div>
            </div>
        };
    }
    html! {
        <ul class="my-spaces">
            { for props.spaces.iter().map(|space| html! {
                <li class="my-space">
                    <Link<Route> to={Route::Space { slug: space.slug.clone() }} classes="my-space__link">
                        <span class="my-space__name">{ &space.name }</span>
                    </Link<Route>>
                    <span class="my-space__role">
                        { space.role.label() }
                        if space.suspended {
                            <span class="my-space__suspended">{ " · suspended" }</span>
                        }
                    </span>
                    if !space.location.trim().is_empty() {
                        <span class="my-space__location">{ &space.location }</span>
                    }
                    <span class="my-space__zone">{ &space.time_zone }</span>
                    <span class="my-space__plan">
                        { match &space.plan {
                            Some(plan) => format!("Plan: {plan}"),
                            None if space.role.runs_the_desk() => "Staff book without a plan".to_owned(),
                            None => "On no plan yet: ask the space's staff".to_owned(),
                        } }
                    </span>
                    <nav class="my-space__links" aria-label={format!("{} pages", space.name)}>
                        <Link<Route> to={Route::Skills { slug: space.slug.clone() }} classes="my-space__desk">
                            { "Your skills here" }
                        </Link<Route>>
                        <Link<Route> to={Route::Stock { slug: space.slug.clone() }} classes="my-space__desk">
                            { "Stock" }
                        </Link<Route>>
                        if space.role.runs_the_desk() && !space.suspended {
                            <Link<Route> to={Route::Desk { slug: space.slug.clone() }} classes="my-space__desk">
                                { "The desk" }
                            </Link<Route>>
                            <Link<Route> to={Route::Approvals { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Approvals queue" }
                            </Link<Route>>
                            <Link<Route> to={Route::Members { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Members" }
                            </Link<Route>>
                            <Link<Route> to={Route::SpaceLoans { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Tools out" }
                            </Link<Route>>
                            <Link<Route> to={Route::Checkoffs { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Check-offs" }
                            </Link<Route>>
                            <Link<Route> to={Route::NewMachine { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Add a machine" }
                            </Link<Route>>
                        }
                        if space.role.manages() && !space.suspended {
                            <Link<Route> to={Route::Settings { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Settings" }
                            </Link<Route>>
                            <Link<Route> to={Route::Fabrication { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Fabrication" }
                            </Link<Route>>
                        }
                        // Beside Fabrication for managers; the staff make the parts too.
                        if space.role.runs_the_desk() && !space.suspended {
                            <Link<Route> to={Route::FabricationJobs { slug: space.slug.clone() }} classes="my-space__desk">
                                { "Jobs" }
                            </Link<Route>>
                        }
                    </nav>
                </li>
            }) }
        </ul>
    }
}
