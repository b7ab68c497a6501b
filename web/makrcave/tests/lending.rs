//! Lending as the pages draw it: the terms of an item, the lending form, and the loans out,
//! overdue ones marked and each taken back with its condition.

use std::collections::HashMap;
use std::rc::Rc;

use makrcave::components::{LendForm, LendingTerms, LoanList, loan_words};
use makrcave::marks::{Asking, Sent};
use makrcave::time::LocalTime;
use makrcave::types::{Loan, Place, SkillLevels, StockUnit};
use makrx_web::testing::render;
use yew::prelude::*;

fn loan(id: &str, overdue: bool) -> Loan {
    Loan {
        id: id.to_owned(),
        item_id: "drill".to_owned(),
        item: "Cordless drill".to_owned(),
        unit: StockUnit::Pieces,
        with: "Ada".to_owned(),
        quantity: "1".to_owned(),
        serial: Some("DR-0042".to_owned()),
        due_at: LocalTime::parse("2026-12-07T19:00:00+01:00").expect("a time"),
        overdue,
    }
}

fn power_tools() -> Vec<SkillLevels> {
    vec![SkillLevels {
        id: "power".to_owned(),
        name: "Power tools".to_owned(),
        levels: vec!["novice".to_owned(), "basic".to_owned()],
    }]
}

#[tokio::test]
async fn an_item_not_lent_offers_to_lend_it_and_a_lent_one_its_skill() {
    let not_lent = render(html! {
        <LendingTerms lendable={false} gate={None} skills={power_tools()} state={Sent::Writing}
            on_set={Callback::noop()} />
    })
    .await;
    assert!(not_lent.contains("Members cannot borrow it."), "{not_lent}");
    assert!(not_lent.contains("Lend it to members"), "{not_lent}");

    let gated = render(html! {
        <LendingTerms lendable={true} gate={Some(("power".to_owned(), "basic".to_owned()))}
            skills={power_tools()} state={Sent::Writing} on_set={Callback::noop()} />
    })
    .await;
    assert!(gated.contains("None: any member may borrow it"), "{gated}");
    assert!(
        gated.contains(r#"<option value="power" selected="selected">Power tools</option>"#),
        "{gated}"
    );
    assert!(
        gated.contains(r#"<option value="basic" selected="selected">basic</option>"#),
        "{gated}"
    );
    assert!(gated.contains("Stop lending it"), "{gated}");
}

#[tokio::test]
async fn the_lending_form_starts_with_the_first_member_and_place_and_the_due_time_given() {
    let html = render(html! {
        <LendForm members={vec![("ada".to_owned(), "Ada".to_owned()), ("bob".to_owned(), "Bob".to_owned())]}
            places={vec![Place { id: "wall".to_owned(), name: "Tool wall".to_owned() }]}
            unit={StockUnit::Pieces} due="2026-12-12T18:00" state={Sent::Writing}
            on_lend={Callback::noop()} />
    })
    .await;
    assert!(
        html.contains(r#"<option value="ada" selected="selected">Ada</option>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="wall" selected="selected">Tool wall</option>"#),
        "{html}"
    );
    assert!(html.contains(r#"type="datetime-local""#), "{html}");
    assert!(html.contains(r#"value="2026-12-12T18:00""#), "{html}");
    assert!(html.contains("How many (pieces)"), "{html}");

    let nobody = render(html! {
        <LendForm members={Vec::new()} places={Vec::new()} unit={StockUnit::Pieces}
            due="2026-12-12T18:00" state={Sent::Writing} on_lend={Callback::noop()} />
    })
    .await;
    assert!(
        nobody.contains("Lending needs members to lend to"),
        "{nobody}"
    );
}

#[tokio::test]
async fn loans_out_say_who_has_what_until_when_and_are_taken_back_one_by_one() {
    assert_eq!(loan_words(&loan("a", false)), "Ada: 1 piece, no. DR-0042");
    let refused = Rc::new(HashMap::from([(
        "b".to_owned(),
        Asking::Refused("It came back already.".to_owned()),
    )]));
    let html = render(html! {
        <LoanList loans={vec![loan("a", false), loan("b", true)]} named={true} taking_back={refused}
            on_take_back={Some(Callback::noop())} />
    })
    .await;
    assert!(html.contains("Due Mon 7 Dec 19:00"), "{html}");
    assert_eq!(html.matches(">Overdue<").count(), 1, "{html}");
    assert_eq!(
        html.matches(r#"href="/inventory/drill""#).count(),
        2,
        "{html}"
    );
    assert_eq!(html.matches("Take it back").count(), 2, "{html}");
    assert!(
        html.contains("Not taken back. </strong>It came back already."),
        "{html}"
    );

    let own = render(html! { <LoanList loans={vec![loan("a", false)]} /> }).await;
    assert!(
        !own.contains("href="),
        "an item's own list names no tool: {own}"
    );
    assert!(
        !own.contains("Take it back"),
        "a member's list takes nothing back: {own}"
    );
    let none = render(html! { <LoanList loans={Vec::new()} /> }).await;
    assert!(none.contains("Nothing is out."), "{none}");
}
