//! `/spaces/<slug>/members`: a space's members for its staff and managers; managers change
//! roles, suspend and reinstate, invite by email and withdraw invitations.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{
    AssignForm, InviteForm, MemberList, PlanForm, PlanList, SentInvitationList,
};
use crate::marks::{Asking, Marks, Sent, ask, send};
use crate::services;
use crate::types::{MemberAct, Members, MembershipRole, NewPlan, PlanAssignment};

/// Properties of [`MembersPage`].
#[derive(Properties, PartialEq)]
pub struct MembersPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The members page.
#[function_component]
pub fn MembersPage(props: &MembersPageProps) -> Html {
    use_title("Members".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see the space's members">
                <People slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn People(props: &MembersPageProps) -> Html {
    let members = use_remote(props.slug.to_string(), services::members);
    match &*members.state {
        Remote::Loading => loading("Loading the members…"),
        Remote::Failed(error) if error.is_not_found() || error.has_code("FORBIDDEN") => html! {
            <Notice title="Only the space's members see who belongs to it">
                <p>{ error.to_string() }</p>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "The members could not be loaded",
            error,
            members.retry.clone(),
        ),
        Remote::Ready(loaded) => html! {
            <Managing members={loaded.clone()} reload={members.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ManagingProps {
    members: Members,
    reload: Callback<()>,
}

#[function_component]
fn Managing(props: &ManagingProps) -> Html {
    let members = &props.members;
    let acting = use_reducer(Marks::<Asking>::default);
    let revoking = use_reducer(Marks::<Asking>::default);
    let inviting = use_state(|| Sent::Writing);
    let on_act = {
        let (marks, reload) = (acting.dispatcher(), props.reload.clone());
        let space = members.makerspace_id.clone();
        Callback::from(move |(user, act): (String, MemberAct)| {
            let done = services::act_on_member(space.clone(), user.clone(), act);
            ask(marks.clone(), user, reload.clone(), done);
        })
    };
    let on_revoke = {
        let (marks, reload) = (revoking.dispatcher(), props.reload.clone());
        Callback::from(move |id: String| {
            let done = services::revoke_invitation(id.clone());
            ask(marks.clone(), id, reload.clone(), done);
        })
    };
    let on_invite = {
        let (inviting, reload) = (inviting.clone(), props.reload.clone());
        let space = members.makerspace_id.clone();
        Callback::from(move |(email, role): (String, MembershipRole)| {
            let invited = services::invite(space.clone(), email.clone(), role);
            send(inviting.clone(), reload.clone(), async move {
                invited.await?;
                Ok(format!("Invitation sent to {email}: it holds for 14 days."))
            });
        })
    };
    let defining = use_state(|| Sent::Writing);
    let assigning = use_state(|| Sent::Writing);
    let on_define = {
        let (state, reload) = (defining.clone(), props.reload.clone());
        let space = members.makerspace_id.clone();
        Callback::from(move |plan: NewPlan| {
            let name = plan.name.clone();
            let defined = services::create_plan(space.clone(), plan);
            send(state.clone(), reload.clone(), async move {
                defined.await?;
                Ok(format!("{name} is defined: put members on it below."))
            });
        })
    };
    let on_assign = {
        let (state, reload) = (assigning.clone(), props.reload.clone());
        let space = members.makerspace_id.clone();
        let names: Vec<(String, String)> = members
            .members
            .iter()
            .map(|member| (member.user_id.clone(), member.name.clone()))
            .chain(
                members
                    .plans
                    .iter()
                    .map(|plan| (plan.id.clone(), plan.name.clone())),
            )
            .collect();
        Callback::from(move |assignment: PlanAssignment| {
            let name_of = |id: &str| {
                names
                    .iter()
                    .find(|(known, _)| known == id)
                    .map_or_else(String::new, |(_, name)| name.clone())
            };
            let said = format!(
                "{} is on {} from {}.",
                name_of(&assignment.user_id),
                name_of(&assignment.plan_id),
                assignment.starts_on.long_label()
            );
            let assigned = services::assign_plan(space.clone(), assignment);
            send(state.clone(), reload.clone(), async move {
                assigned.await?;
                Ok(said)
            });
        })
    };
    let people: Vec<(String, String)> = members
        .members
        .iter()
        .map(|member| (member.user_id.clone(), member.name.clone()))
        .collect();
    let managing = members.my_role.manages();
    html! {
        <>
            <h1 class="page__title">{ format!("{}: members", members.name) }</h1>
            if managing {
                <InviteForm state={(*inviting).clone()} {on_invite} />
            }
            <MemberList members={members.members.clone()} total={members.total}
                my_id={members.my_id.clone()} {managing} acting={acting.0.clone()} {on_act} />
            if let Some(invitations) = &members.invitations {
                <SentInvitationList invitations={invitations.clone()} revoking={revoking.0.clone()} {on_revoke} />
            }
            <section class="booking panel" aria-labelledby="plans-heading">
                <h2 class="panel__title" id="plans-heading">{ "Plans" }</h2>
                <PlanList plans={members.plans.clone()} />
                if managing {
                    <h3 class="panel__subtitle">{ "Put a member on a plan" }</h3>
                    <AssignForm members={people} plans={members.plans.clone()} today={crate::time::today()} state={(*assigning).clone()} {on_assign} />
                    <h3 class="panel__subtitle">{ "Define a plan" }</h3>
                    <PlanForm currency={members.currency.clone()} state={(*defining).clone()} {on_define} />
                }
            </section>
        </>
    }
}
