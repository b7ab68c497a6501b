//! A space's stock as its pages draw it: amounts in their units, the low items marked, the
//! movement form's choices, the history in sentences, and the labels.

use makrcave::components::{
    ItemForm, LowAlerts, MovementForm, MovementList, QrLabel, StockList, item_detail,
    movement_words, qr_path,
};
use makrcave::marks::Sent;
use makrcave::time::LocalTime;
use makrcave::types::{
    ItemCategory, Level, LowAlert, Movement, MovementChoices, MovementKind, Place, StockItem,
    StockUnit, plain_decimal,
};
use makrx_web::testing::render;
use yew::prelude::*;

fn filament() -> StockItem {
    StockItem {
        id: "item-1".to_owned(),
        name: "PLA filament, black".to_owned(),
        sku: Some("PLA-BLK".to_owned()),
        category: ItemCategory::Material,
        unit: StockUnit::Grams,
        on_hand: "1250.500".to_owned(),
        reorder_point: "1500".to_owned(),
        low: true,
        levels: vec![
            Level {
                place: "Filament cabinet".to_owned(),
                on_hand: "1000".to_owned(),
            },
            Level {
                place: "Printer bench".to_owned(),
                on_hand: "250.5".to_owned(),
            },
        ],
    }
}

fn movement(kind: MovementKind, quantity: &str, change: &str) -> Movement {
    Movement {
        id: format!("{kind:?}-{quantity}"),
        kind,
        quantity: quantity.to_owned(),
        change: change.to_owned(),
        place: "Shelf B2".to_owned(),
        to_place: None,
        member: None,
        by: "Sam".to_owned(),
        reason: String::new(),
        at: LocalTime::parse("2026-12-05T14:30:00+01:00").expect("a time"),
    }
}

#[test]
fn amounts_read_in_their_unit_without_zeros_that_say_nothing() {
    assert_eq!(plain_decimal("2.50"), "2.5");
    assert_eq!(plain_decimal("10.000"), "10");
    assert_eq!(
        plain_decimal("100"),
        "100",
        "a whole number keeps its zeros"
    );
    assert_eq!(StockUnit::Pieces.amount("1"), "1 piece");
    assert_eq!(StockUnit::Pieces.amount("12"), "12 pieces");
    assert_eq!(StockUnit::Grams.amount("750.0"), "750 g");
    assert_eq!(StockUnit::Millilitres.amount("0"), "0 ml");
    assert_eq!(StockUnit::Metres.amount("2.50"), "2.5 m");
}

#[tokio::test]
async fn the_stock_lists_each_item_with_what_is_where_and_marks_the_low_ones() {
    let mut plenty = filament();
    plenty.id = "item-2".to_owned();
    plenty.name = "M3 bolts".to_owned();
    plenty.sku = None;
    plenty.unit = StockUnit::Pieces;
    plenty.category = ItemCategory::Part;
    plenty.on_hand = "400".to_owned();
    plenty.reorder_point = "100".to_owned();
    plenty.low = false;
    plenty.levels = vec![Level {
        place: "Bin 4".to_owned(),
        on_hand: "400".to_owned(),
    }];

    let html = render(html! {
        <StockList items={vec![filament(), plenty.clone()]} more={true} filtered={false} />
    })
    .await;
    assert!(html.contains(r#"href="/inventory/item-1""#), "{html}");
    assert!(html.contains("1250.5 g"), "{html}");
    assert!(
        html.contains("SKU PLA-BLK · Material · 1000 g Filament cabinet, 250.5 g Printer bench · reorder at 1500 g"),
        "{html}"
    );
    assert_eq!(
        html.matches(">Low<").count(),
        1,
        "only the filament is low: {html}"
    );
    assert!(html.contains("400 pieces"), "{html}");
    assert!(html.contains("Only the first 100 are shown"), "{html}");
    assert_eq!(
        item_detail(&plenty),
        "Part · 400 pieces Bin 4 · reorder at 100 pieces"
    );

    let nothing =
        render(html! { <StockList items={Vec::new()} more={false} filtered={false} /> }).await;
    assert!(nothing.contains("Nothing is kept here yet."), "{nothing}");
    let no_match =
        render(html! { <StockList items={Vec::new()} more={false} filtered={true} /> }).await;
    assert!(no_match.contains("Nothing here matches."), "{no_match}");
}

#[tokio::test]
async fn an_item_falling_low_is_announced_in_its_unit() {
    let alert = LowAlert {
        item_id: "item-1".to_owned(),
        name: "PLA filament, black".to_owned(),
        on_hand: "250.000".to_owned(),
        reorder_point: "500".to_owned(),
    };
    let html = render(html! { <LowAlerts alerts={vec![(alert, StockUnit::Grams)]} /> }).await;
    assert!(html.contains(r#"aria-live="polite""#), "{html}");
    assert!(
        html.contains("PLA filament, black is running low: "),
        "{html}"
    );
    assert!(html.contains("250 g left, reorder at 500 g."), "{html}");
    assert!(html.contains(r#"href="/inventory/item-1""#), "{html}");
}

#[tokio::test]
async fn the_movement_form_offers_the_places_and_asks_for_one_first() {
    let choices = MovementChoices {
        places: vec![
            Place {
                id: "place-1".to_owned(),
                name: "Shelf B2".to_owned(),
            },
            Place {
                id: "place-2".to_owned(),
                name: "Bin 4".to_owned(),
            },
        ],
        members: vec![("user-1".to_owned(), "Ada".to_owned())],
    };
    let html = render(html! {
        <MovementForm unit={StockUnit::Grams} choices={choices.clone()} state={Sent::Writing}
            on_record={Callback::noop()} />
    })
    .await;
    // An issue, the most common, comes first: from a place, to a member or nobody in particular.
    assert!(html.contains("How much (grams)"), "{html}");
    assert!(html.contains("Taken from"), "{html}");
    assert!(
        html.contains(r#"<option value="place-1" selected="selected">Shelf B2</option>"#),
        "{html}"
    );
    assert!(html.contains("Nobody in particular"), "{html}");
    assert!(html.contains(">Ada</option>"), "{html}");
    assert!(
        !html.contains("Moved to"),
        "no second place but for a transfer: {html}"
    );

    let refused = render(html! {
        <MovementForm unit={StockUnit::Grams} choices={choices} on_record={Callback::noop()}
            state={Sent::Refused("The quantity is more than the 3 g at Shelf B2.".to_owned())} />
    })
    .await;
    assert!(
        refused.contains("Not recorded. </strong>The quantity is more than the 3 g at Shelf B2."),
        "{refused}"
    );

    let no_places = render(html! {
        <MovementForm unit={StockUnit::Pieces} choices={MovementChoices::default()}
            state={Sent::Writing} on_record={Callback::noop()} />
    })
    .await;
    assert!(
        no_places.contains("Add a place to the space's stock first"),
        "{no_places}"
    );
}

#[tokio::test]
async fn the_history_tells_each_movement_in_a_sentence() {
    let mut issued = movement(MovementKind::Issue, "3", "-3");
    issued.member = Some("Ada".to_owned());
    issued.reason = "For the 3D printing course".to_owned();
    let mut moved = movement(MovementKind::Transfer, "5", "0");
    moved.to_place = Some("Bin 4".to_owned());
    let received = movement(MovementKind::Receive, "20.00", "20.00");
    let counted = movement(MovementKind::Adjust, "0", "-12");
    let used = movement(MovementKind::Consume, "1", "-1");
    let pieces = StockUnit::Pieces;

    assert_eq!(
        movement_words(&issued, pieces),
        "Issued 3 pieces from Shelf B2 to Ada (-3)"
    );
    assert_eq!(
        movement_words(&moved, pieces),
        "Moved 5 pieces from Shelf B2 to Bin 4"
    );
    assert_eq!(
        movement_words(&received, pieces),
        "Received 20 pieces at Shelf B2 (+20)"
    );
    assert_eq!(
        movement_words(&counted, pieces),
        "Counted 0 pieces at Shelf B2 (-12)"
    );
    assert_eq!(
        movement_words(&used, pieces),
        "Used up 1 piece from Shelf B2 (-1)"
    );

    let html = render(html! { <MovementList movements={vec![issued]} unit={pieces} /> }).await;
    assert!(html.contains("For the 3D printing course"), "{html}");
    assert!(html.contains("Recorded by Sam"), "{html}");
    let none = render(html! { <MovementList movements={Vec::new()} unit={pieces} /> }).await;
    assert!(none.contains("Nothing has moved yet."), "{none}");
}

#[tokio::test]
async fn an_items_label_is_a_qr_code_of_its_page_with_its_name_and_sku() {
    let url = "https://makrcave.com/makrcave/inventory/0193b0c8-7a6e-7cc0-8f1e-2a3b4c5d6e7f";
    let (_, path) = qr_path(url).expect("a QR code");
    let html = render(html! {
        <QrLabel name="PLA filament, black" detail={Some(AttrValue::from("PLA-BLK"))} {url} />
    })
    .await;
    assert!(html.contains(&format!(r#"d="{path}""#)), "{html}");
    assert!(html.contains("PLA filament, black"), "{html}");
    assert!(
        html.contains(r#"<span class="qr__detail">PLA-BLK</span>"#),
        "{html}"
    );
}

#[tokio::test]
async fn a_new_item_may_say_what_one_costs_and_the_store_product_it_is_bought_as() {
    let form = render(html! { <ItemForm state={Sent::Writing} on_add={Callback::noop()} /> }).await;
    assert!(form.contains("One costs (optional)"), "{form}");
    assert!(
        form.contains("Bought from the store as (SKU, optional)"),
        "{form}"
    );
    assert!(
        !form.contains("One from the store is"),
        "how much one store unit is, only once a SKU is given: {form}"
    );
}
