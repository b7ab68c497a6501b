//! `/loans` and `/spaces/<slug>/loans`: the tools a member has borrowed, and a space's tools
//! out for its staff, each taken back there; and the lending panel of an item's page.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, for_role, loading};
use crate::app::Route;
use crate::components::{LendForm, LendingTerms, LoanList};
use crate::marks::{Asking, Marks, Sent, ask, send};
use crate::services;
use crate::types::{NewLoan, StockUnit, ToolCondition};

/// The signed-in member's tools on loan.
#[function_component]
pub fn MyLoansPage() -> Html {
    use_title("Your loans".to_owned());
    html! {
        <MembersOnly prompt="Sign in to see the tools you borrowed">
            <MyLoans />
        </MembersOnly>
    }
}

#[function_component]
fn MyLoans() -> Html {
    let loans = use_remote((), |()| services::my_loans());
    html! {
        <section class="panel" aria-labelledby="loans-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="loans-heading">{ "Tools you borrowed" }</h1>
            </header>
            { match &*loans.state {
                Remote::Loading => loading("Loading your loans…"),
                Remote::Failed(error) => failed("Your loans could not be loaded", error, loans.retry.clone()),
                Remote::Ready(loans) => html! { <LoanList loans={loans.clone()} named={true} /> },
            } }
        </section>
    }
}

/// Properties of [`SpaceLoansPage`].
#[derive(Properties, PartialEq)]
pub struct SpaceLoansPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// A space's tools out: who has what, soonest due first; staff take them back here.
#[function_component]
pub fn SpaceLoansPage(props: &SpaceLoansPageProps) -> Html {
    use_title("Tools out".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Stock { slug: props.slug.to_string() }}>{ "← The stock" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see who has the space's tools">
                <SpaceLoans slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn SpaceLoans(props: &SpaceLoansPageProps) -> Html {
    let loans = use_remote(props.slug.to_string(), services::space_loans);
    let taking_back = use_reducer(Marks::<Asking>::default);
    let on_take_back = {
        let (marks, reload) = (taking_back.dispatcher(), loans.refresh.clone());
        Callback::from(
            move |(id, condition, note): (String, ToolCondition, String)| {
                let taken = services::take_back(id.clone(), condition, note);
                ask(marks.clone(), id, reload.clone(), async move {
                    taken.await.map(|_| ())
                });
            },
        )
    };
    for_role(
        &loans,
        (
            "Loading the tools out…",
            "Only the space's staff see who has its tools",
            "The tools out could not be loaded",
        ),
        |loaded| {
            html! {
                <section class="panel" aria-labelledby="space-loans-heading">
                    <header class="panel__head">
                        <h1 class="panel__title" id="space-loans-heading">{ format!("{}: tools out", loaded.space.name) }</h1>
                    </header>
                    <LoanList loans={loaded.loans.clone()} named={true} taking_back={taking_back.0.clone()}
                        on_take_back={Some(on_take_back.clone())} />
                </section>
            }
        },
    )
}

/// Properties of [`ItemLendingPanel`].
#[derive(Properties, PartialEq)]
pub struct ItemLendingPanelProps {
    /// The item's API id.
    pub item_id: String,
    /// Its space's API id.
    pub makerspace_id: String,
    /// What it is counted in.
    pub unit: StockUnit,
    /// Reloads the item's page: a loan or a return moves its stock.
    pub reload: Callback<()>,
}

/// An item's lending, for staff: the terms, lending it, and its loans out.
#[function_component]
pub fn ItemLendingPanel(props: &ItemLendingPanelProps) -> Html {
    let lending = use_remote(
        (props.item_id.clone(), props.makerspace_id.clone()),
        services::item_lending,
    );
    let choices = use_remote(props.makerspace_id.clone(), services::movement_choices);
    let setting = use_state(|| Sent::Writing);
    let lending_out = use_state(|| Sent::Writing);
    let taking_back = use_reducer(Marks::<Asking>::default);
    // A loan or a return changes both the loans and the item's stock.
    let reload = {
        let (loans, page) = (lending.refresh.clone(), props.reload.clone());
        Callback::from(move |()| {
            loans.emit(());
            page.emit(());
        })
    };
    let on_set = {
        let (state, reload, id) = (
            setting.clone(),
            lending.refresh.clone(),
            props.item_id.clone(),
        );
        Callback::from(move |(lendable, gate): (bool, Option<(String, String)>)| {
            let said = match (lendable, &gate) {
                (false, _) => "It is no longer lent.",
                (true, None) => "Members may borrow it.",
                (true, Some(_)) => "Members with the skill at that level may borrow it.",
            };
            let set = services::set_lending(id.clone(), lendable, gate);
            send(state.clone(), reload.clone(), async move {
                set.await?;
                Ok(said.to_owned())
            });
        })
    };
    let on_lend = {
        let (state, reload, id) = (lending_out.clone(), reload.clone(), props.item_id.clone());
        Callback::from(move |(place, loan): (String, NewLoan)| {
            let lent = services::lend(id.clone(), place, loan);
            send(state.clone(), reload.clone(), async move {
                lent.await?;
                Ok("Lent.".to_owned())
            });
        })
    };
    let on_take_back = {
        let (marks, reload) = (taking_back.dispatcher(), reload);
        Callback::from(
            move |(id, condition, note): (String, ToolCondition, String)| {
                let taken = services::take_back(id.clone(), condition, note);
                ask(marks.clone(), id, reload.clone(), async move {
                    taken.await.map(|_| ())
                });
            },
        )
    };
    let (lending, choices) = match (&*lending.state, &*choices.state) {
        (Remote::Ready(lending), Remote::Ready(choices)) => (lending, choices),
        (Remote::Failed(error), _) => {
            return failed(
                "The lending could not be loaded",
                error,
                lending.retry.clone(),
            );
        }
        (_, Remote::Failed(error)) => {
            return failed(
                "The members could not be loaded",
                error,
                choices.retry.clone(),
            );
        }
        _ => return loading("Loading the lending…"),
    };
    html! {
        <section class="booking panel" aria-labelledby="lending-heading">
            <h2 class="panel__title" id="lending-heading">{ "Lending" }</h2>
            <LendingTerms lendable={lending.lendable} gate={lending.gate.clone()} skills={lending.skills.clone()}
                state={(*setting).clone()} {on_set} />
            if lending.lendable {
                <h3 class="panel__subtitle">{ "Lend it" }</h3>
                <LendForm members={choices.members.clone()} places={choices.places.clone()} unit={props.unit}
                    due={AttrValue::from(in_a_week())} state={(*lending_out).clone()} {on_lend} />
            }
            <h3 class="panel__subtitle">{ "Out now" }</h3>
            <LoanList loans={lending.loans.clone()} taking_back={taking_back.0.clone()}
                on_take_back={Some(on_take_back)} />
        </section>
    }
}

/// A week from now in the browser's local time, as a date-time field takes it
/// (`2026-12-07T18:00`): when a loan is due unless staff say otherwise.
fn in_a_week() -> String {
    let date = js_sys::Date::new_0();
    date.set_time(date.get_time() + 7.0 * 24.0 * 3600.0 * 1000.0);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}
