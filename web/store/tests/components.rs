//! The store's components rendered natively with Yew's server renderer, in each state a page
//! can show them in. Effects do not run on the server, so nothing here fetches.

use std::collections::HashSet;
use std::rc::Rc;

use makrx_web::graphql::{ApiError, FieldError, RequestError};
use makrx_web::testing::render;
use store::components::{
    CartLines, CartParts, GIVEN_BACK, HoldNotice, OrderLines, OrderList, OrderParts, PartAdding,
    PartList, PartOrder, ProductGrid, QuoteDetails, Stars, StatusBadge, Totals, hold_left,
    job_status, refusal,
};
use store::pages::CatalogQuery;
use store::types::{
    CartLine, CartPart, Delivery, FabricationJobStatus, Image, Misfit, Offer, OrderLine, OrderRow,
    OrderStatus, OrderedPart, PartJob, PartMeasures, PartQuote, PartRow, PrintPlan, PrintProcess,
    ProductCard, ProductSort, QuotePrice, QuoteRow, QuoteStatus, Rating,
};
use yew::prelude::*;

fn card(slug: &str, in_stock: bool, rating: Rating) -> ProductCard {
    ProductCard {
        slug: slug.to_owned(),
        name: format!("{slug} name"),
        category: Some("Filament".to_owned()),
        price: Some("₹1,299.00 – ₹1,499.00".to_owned()),
        in_stock,
        rating,
        image: None,
    }
}

fn line(variant: &str, quantity: i64, held: bool, available: i64) -> CartLine {
    CartLine {
        variant_id: variant.to_owned(),
        sku: format!("SKU-{variant}"),
        product_slug: "pla-filament-1-kg".to_owned(),
        product_name: "PLA filament, 1 kg".to_owned(),
        variant_name: format!("Colour {variant}"),
        quantity,
        held,
        available,
        unit_price_minor: 129_900,
        line_total_minor: 129_900 * quantity,
    }
}

#[tokio::test]
async fn a_product_card_links_its_page_and_says_whether_it_can_be_bought() {
    let unrated = Rating {
        average: None,
        count: 0,
    };
    let html = render(html! {
        <ProductGrid products={vec![card("pla", true, unrated), card("esp32", false, unrated)]} />
    })
    .await;

    assert!(html.contains(r#"href="/p/pla""#), "{html}");
    assert!(html.contains("₹1,299.00 – ₹1,499.00"), "{html}");
    assert!(html.contains("In stock"), "{html}");
    assert!(html.contains("Sold out"), "{html}");
    assert!(html.contains("No reviews yet"), "{html}");
}

#[tokio::test]
async fn a_card_shows_its_products_first_picture_described() {
    let unrated = Rating {
        average: None,
        count: 0,
    };
    let pictured = ProductCard {
        image: Some(Image {
            url: "http://127.0.0.1:9000/makrx/products/1/2?X-Amz-Signature=abc".to_owned(),
            alt: "A spool of orange PLA".to_owned(),
        }),
        ..card("pla", true, unrated)
    };
    let html =
        render(html! { <ProductGrid products={vec![pictured, card("esp32", true, unrated)]} /> })
            .await;

    assert_eq!(html.matches("<img").count(), 1, "{html}");
    assert!(html.contains(r#"alt="A spool of orange PLA""#), "{html}");
    assert!(html.contains(r#"loading="lazy""#), "{html}");
    assert!(html.contains("X-Amz-Signature=abc"), "{html}");
}

#[tokio::test]
async fn stars_round_the_average_and_say_it_in_words() {
    let html = render(html! {
        <Stars rating={Rating { average: Some(4.4), count: 1 }} />
    })
    .await;

    assert!(
        html.contains(r#"aria-label="Rated 4.4 out of 5 by 1 reviewer""#),
        "{html}"
    );
    assert!(
        html.contains("★★★★<span class=\"stars__empty\">★</span>"),
        "{html}"
    );
    assert!(html.contains("4.4 (1)"), "{html}");
}

#[tokio::test]
async fn a_cart_line_offers_one_more_only_while_more_can_be_had() {
    let html = render(html! {
        <CartLines lines={vec![line("black", 2, true, 3), line("red", 1, false, 0)]} currency="INR"
            changing={Rc::new(HashSet::new())} on_quantity={Callback::noop()} />
    })
    .await;

    let more: Vec<&str> = html.split("One more ").skip(1).collect();
    assert_eq!(more.len(), 2, "{html}");
    assert!(
        !more[0][..200].contains("disabled"),
        "black can grow: {}",
        more[0]
    );
    assert!(
        more[1][..200].contains("disabled"),
        "red cannot: {}",
        more[1]
    );
    assert!(html.contains("₹2,598.00"), "the line's total: {html}");
    assert!(html.contains("₹1,299.00 each"), "{html}");
    assert!(html.contains("Held for you"), "{html}");
    assert!(html.contains("No longer held"), "{html}");
}

#[tokio::test]
async fn a_line_being_changed_waits() {
    let changing = Rc::new(HashSet::from(["black".to_owned()]));
    let html = render(html! {
        <CartLines lines={vec![line("black", 2, true, 3)]} currency="INR" {changing}
            on_quantity={Callback::noop()} />
    })
    .await;

    assert_eq!(
        html.matches(r#"disabled="disabled""#).count(),
        3,
        "all three buttons: {html}"
    );
}

#[tokio::test]
async fn the_hold_counts_down_in_minutes_and_seconds_then_says_it_ran_out() {
    let held = render(html! { <HoldNotice until={1_000} now={1_000 - 14 * 60 - 5} /> }).await;
    let lapsed = render(html! { <HoldNotice until={1_000} now={1_000} /> }).await;

    assert!(held.contains(">14:05<"), "{held}");
    assert!(lapsed.contains("Your hold has run out"), "{lapsed}");
    assert_eq!(hold_left(1_000, 999), Some(1));
    assert_eq!(hold_left(1_000, 1_000), None);
}

#[tokio::test]
async fn an_order_list_leads_to_each_order_with_its_status_and_total() {
    let order = OrderRow {
        id: "o-1".to_owned(),
        number: 1042,
        status: OrderStatus::ReadyForPickup,
        total: "₹2,338.20".to_owned(),
        delivery: Delivery::Pickup,
        placed: "4 Dec 2026, 14:05".to_owned(),
    };
    let html = render(html! { <OrderList orders={vec![order]} /> }).await;

    assert!(html.contains(r#"href="/orders/o-1""#), "{html}");
    assert!(html.contains("Order 1042"), "{html}");
    assert!(html.contains("Ready for pickup"), "{html}");
    assert!(html.contains("order-status--moving"), "{html}");
    assert!(html.contains("Pickup"), "{html}");
    assert!(html.contains("₹2,338.20"), "{html}");
}

#[tokio::test]
async fn order_lines_say_what_was_refunded_and_keep_a_product_gone_from_the_catalog() {
    let lines = vec![
        OrderLine {
            sku: "PLA-175-BLACK".to_owned(),
            name: "PLA filament, 1 kg (1.75 mm, black)".to_owned(),
            product_slug: Some("pla-filament-1-kg".to_owned()),
            quantity: 2,
            refunded_quantity: 1,
            unit_price_minor: 129_900,
            line_total_minor: 259_800,
        },
        OrderLine {
            sku: "OLD-1".to_owned(),
            name: "A discontinued thing".to_owned(),
            product_slug: None,
            quantity: 1,
            refunded_quantity: 0,
            unit_price_minor: 500,
            line_total_minor: 500,
        },
    ];
    let html = render(html! { <OrderLines {lines} currency="INR" /> }).await;

    assert!(html.contains(r#"href="/p/pla-filament-1-kg""#), "{html}");
    assert!(html.contains("1 refunded"), "{html}");
    assert!(html.contains("₹2,598.00"), "{html}");
    assert_eq!(
        html.matches("<a ").count(),
        1,
        "no link for a product gone: {html}"
    );
}

#[tokio::test]
async fn totals_end_with_the_total_in_strong() {
    let rows = vec![
        (AttrValue::from("Goods"), AttrValue::from("₹2,598.00")),
        (AttrValue::from("Total"), AttrValue::from("₹3,065.64")),
    ];
    let html = render(html! { <Totals {rows} /> }).await;

    let total = html.find("totals__row--total").expect("a total row");
    assert!(html[total..].contains("₹3,065.64"), "{html}");
    assert!(!html[total..].contains("Goods"), "{html}");
}

#[tokio::test]
async fn every_status_has_its_badge() {
    for status in OrderStatus::ALL {
        let html = render(html! { <StatusBadge {status} /> }).await;
        assert!(html.contains(status.label()), "{html}");
        assert_eq!(OrderStatus::from_slug(status.slug()), Some(status));
    }
}

#[test]
fn the_catalog_address_becomes_what_is_asked() {
    let query = CatalogQuery {
        q: Some("  pla ".to_owned()),
        category: Some(String::new()),
        with: Some("material:PLA;colour:black;material:PETG".to_owned()),
        min: Some("250".to_owned()),
        max: Some("not a price".to_owned()),
        stock: Some("1".to_owned()),
        sort: Some("price-low".to_owned()),
        after: None,
    };

    let ask = query.ask();

    assert_eq!(ask.search.as_deref(), Some("pla"));
    assert_eq!(ask.category_id, None);
    assert_eq!(
        ask.attributes,
        [
            ("material".to_owned(), "PLA".to_owned()),
            ("colour".to_owned(), "black".to_owned()),
            ("material".to_owned(), "PETG".to_owned())
        ]
    );
    assert_eq!(ask.min_price_minor, Some(25_000));
    assert_eq!(ask.max_price_minor, None);
    assert!(ask.in_stock);
    assert_eq!(ask.sort, ProductSort::PriceLowToHigh);
    assert!(query.narrows());
    assert!(!CatalogQuery::default().narrows());
    assert_eq!(CatalogQuery::default().ask().sort, ProductSort::Relevance);
}

#[test]
fn choosing_an_attribute_value_twice_unchooses_it_and_starts_from_the_first_page() {
    let query = CatalogQuery {
        after: Some("23".to_owned()),
        ..CatalogQuery::default()
    };

    let chosen = query.toggled("colour", "black");
    let both = chosen.toggled("material", "PLA");
    let again = both.toggled("colour", "black");

    assert_eq!(chosen.with.as_deref(), Some("colour:black"));
    assert_eq!(chosen.after, None);
    assert_eq!(both.with.as_deref(), Some("colour:black;material:PLA"));
    assert_eq!(again.with.as_deref(), Some("material:PLA"));
    assert_eq!(again.toggled("material", "PLA").with, None);
    assert!(both.narrows());
}

#[test]
fn a_refusal_names_the_fields_or_says_the_reason_capitalised() {
    let api = |message: &str, code: &str, details: Vec<FieldError>| {
        RequestError::Api(vec![ApiError {
            message: message.to_owned(),
            code: Some(code.to_owned()),
            details,
        }])
    };
    let short = api(
        "not enough in stock: PLA-175-RED (1 left)",
        "CONFLICT",
        vec![],
    );
    let fields = api(
        "invalid input",
        "VALIDATION_ERROR",
        vec![FieldError {
            field: "shipTo.postalCode".to_owned(),
            message: "must not be empty".to_owned(),
        }],
    );
    let signed_out = api("sign in first", "UNAUTHENTICATED", vec![]);

    assert_eq!(refusal(&short), "Not enough in stock: PLA-175-RED (1 left)");
    assert_eq!(refusal(&fields), "shipTo.postalCode: must not be empty.");
    assert_eq!(refusal(&signed_out), "Sign in first.");
}

/// A 20 mm cube's quote in PLA: 2 parts, priced, made by the farm in 5 hours.
fn cube_quote() -> PartQuote {
    PartQuote {
        id: "quote-1".to_owned(),
        status: QuoteStatus::Ready,
        material: "PLA".to_owned(),
        colour: None,
        infill_percent: 20,
        quantity: 2,
        measures: Some(PartMeasures {
            triangles: 12,
            volume_mm3: 8000.0,
            size_mm: vec![20.0, 20.0, 20.0],
            watertight: true,
            shells: 1,
        }),
        misfits: Vec::new(),
        print: Some(PrintPlan {
            machine: "Generic FDM".to_owned(),
            process: PrintProcess::Fdm,
            print_seconds: 3_725,
            material_grams: 4.25,
            sliced: false,
            fallback_reason: Some("PrusaSlicer is not installed".to_owned()),
        }),
        price: Some(QuotePrice {
            currency: "INR".to_owned(),
            material_per_part_minor: 1_200,
            machine_per_part_minor: 5_000,
            quantity: 2,
            production_minor: 12_400,
            quantity_discount_minor: 0,
            markup_minor: 2_480,
            setup_fee_minor: 15_000,
            total_minor: 29_880,
            unit_price_minor: 14_940,
        }),
        warnings: vec!["The mesh is open: its volume is an estimate.".to_owned()],
        failure: None,
        valid_until: Some("9 Dec 2026, 14:05".to_owned()),
        expired: false,
        offers: vec![Offer {
            makerspace_id: "farm".to_owned(),
            makerspace: "Print Farm".to_owned(),
            ready_by: "8 Dec 2026, 19:05".to_owned(),
            lead_time_hours: 5,
            accepts_automatically: false,
        }],
    }
}

#[tokio::test]
async fn a_quote_shows_the_part_its_print_its_price_line_by_line_and_who_makes_it_when() {
    let html = render(html! { <QuoteDetails quote={cube_quote()} /> }).await;

    for shown in [
        "PLA · colour left to the makerspace · 20 % infill · 2 parts",
        "20.0 × 20.0 × 20.0 mm",
        "8.0 cm³",
        "Generic FDM (FDM)",
        "1:02",
        "4.2 g",
        "Estimated from its shape: PrusaSlicer is not installed",
        "₹12.00",
        "₹124.00",
        "₹150.00",
        "₹298.80",
        "₹149.40 a part",
        "Valid until 9 Dec 2026, 14:05",
        "The mesh is open",
        "Print Farm",
        "Ready by 8 Dec 2026, 19:05",
        "in 5 hours",
        "Its staff accept each job",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert!(!html.contains("Quantity discount"), "{html}");
}

#[tokio::test]
async fn a_quote_nobody_can_make_says_so_and_an_expired_one_is_not_honoured() {
    let quote = PartQuote {
        offers: Vec::new(),
        expired: true,
        ..cube_quote()
    };
    let html = render(html! { <QuoteDetails {quote} /> }).await;

    assert!(
        html.contains("No makerspace can make this part yet."),
        "{html}"
    );
    assert!(html.contains("no longer honoured"), "{html}");
    assert!(!html.contains("Valid until"), "{html}");
}

#[tokio::test]
async fn a_part_too_big_shows_its_measures_and_each_misfit_without_a_price() {
    let quote = PartQuote {
        status: QuoteStatus::TooBig,
        print: None,
        price: None,
        valid_until: None,
        offers: Vec::new(),
        misfits: vec![Misfit {
            machine: "Generic FDM".to_owned(),
            reason: "its height, 400.0 mm, exceeds the machine's 250.0 mm".to_owned(),
        }],
        ..cube_quote()
    };
    let html = render(html! { <QuoteDetails {quote} /> }).await;

    assert!(html.contains("20.0 × 20.0 × 20.0 mm"), "{html}");
    assert!(
        html.contains("Generic FDM</strong>: its height, 400.0 mm"),
        "{html}"
    );
    assert!(!html.contains("Total"), "{html}");
    assert!(!html.contains("Who can make it"), "{html}");
}

#[tokio::test]
async fn a_quote_that_failed_says_why_as_an_alert() {
    let quote = PartQuote {
        status: QuoteStatus::Failed,
        measures: None,
        print: None,
        price: None,
        warnings: Vec::new(),
        offers: Vec::new(),
        failure: Some("the file holds no triangles".to_owned()),
        ..cube_quote()
    };
    let html = render(html! { <QuoteDetails {quote} /> }).await;

    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("the file holds no triangles"), "{html}");
}

#[tokio::test]
async fn a_part_lists_its_quotes_and_asks_before_it_is_deleted() {
    let part = PartRow {
        id: "part-1".to_owned(),
        file_name: "bracket.stl".to_owned(),
        size_bytes: 12_800,
        uploaded: "8 Dec 2026, 14:00".to_owned(),
        quotes: vec![QuoteRow {
            id: "quote-1".to_owned(),
            status: QuoteStatus::Ready,
            material: "PLA".to_owned(),
            quantity: 2,
            total: Some("₹298.80".to_owned()),
            valid_until: Some("9 Dec 2026, 14:05".to_owned()),
            expired: false,
        }],
    };
    let list = |confirming: Option<String>| {
        let parts = vec![part.clone()];
        html! {
            <PartList {parts} {confirming} on_delete={Callback::noop()} on_confirm={Callback::noop()}
                on_keep={Callback::noop()} />
        }
    };
    let html = render(list(None)).await;
    for shown in [
        "bracket.stl",
        "12.5 KB, uploaded 8 Dec 2026, 14:00",
        "PLA, 2 parts",
        "Quoted",
        "₹298.80",
        "Valid until 9 Dec 2026, 14:05",
        "Delete bracket.stl",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert!(!html.contains("Delete it"), "{html}");

    let html = render(list(Some("part-1".to_owned()))).await;
    assert!(
        html.contains("Delete bracket.stl and its quotes?"),
        "{html}"
    );
    assert!(html.contains("Keep it"), "{html}");
}

fn job(id: &str, status: FabricationJobStatus, space: &str) -> PartJob {
    PartJob {
        id: id.to_owned(),
        status,
        reason: None,
        ready_by: Some("9 Dec 2026, 14:00".to_owned()),
        makerspace: Some(space.to_owned()),
    }
}

fn ordered_part(jobs: Vec<PartJob>, refunded: bool) -> OrderedPart {
    OrderedPart {
        id: "part-1".to_owned(),
        file_name: "bracket.stl".to_owned(),
        material: "PETG".to_owned(),
        colour: Some("black".to_owned()),
        quantity: 3,
        price: "₹540.00".to_owned(),
        refunded,
        jobs,
    }
}

#[tokio::test]
async fn an_ordered_part_shows_its_file_material_quantity_price_and_when_it_should_be_ready() {
    let part = ordered_part(
        vec![job(
            "job-1",
            FabricationJobStatus::Printing,
            "Bengaluru Makers",
        )],
        false,
    );

    let html = render(html! { <OrderParts parts={vec![part]} /> }).await;

    assert!(html.contains("bracket.stl"), "{html}");
    assert!(html.contains("PETG, black"), "{html}");
    assert!(html.contains("× 3"), "{html}");
    assert!(html.contains("₹540.00"), "{html}");
    assert!(html.contains("Printing at Bengaluru Makers"), "{html}");
    assert!(html.contains("Ready by 9 Dec 2026, 14:00"), "{html}");
}

#[test]
fn every_job_status_is_told_in_words_naming_the_space() {
    use FabricationJobStatus::*;
    let told = |status| job_status(&job("job-1", status, "Makers Asylum"));

    assert_eq!(
        told(Dispatched),
        "Sent to Makers Asylum, waiting for it to accept"
    );
    assert_eq!(told(Accepted), "Accepted by Makers Asylum");
    assert_eq!(told(Printing), "Printing at Makers Asylum");
    assert_eq!(told(PostProcessing), "Post-processing at Makers Asylum");
    assert_eq!(told(Ready), "Ready at Makers Asylum");
    assert_eq!(told(Shipped), "Shipped by Makers Asylum");
    assert_eq!(told(Delivered), "Delivered");
    assert_eq!(told(Declined), "Declined by Makers Asylum");
    assert_eq!(told(Cancelled), "Cancelled");
}

#[tokio::test]
async fn every_job_status_is_drawn_for_its_part() {
    use FabricationJobStatus::*;
    for (status, words) in [
        (
            Dispatched,
            "Sent to Makers Asylum, waiting for it to accept",
        ),
        (Accepted, "Accepted by Makers Asylum"),
        (Printing, "Printing at Makers Asylum"),
        (PostProcessing, "Post-processing at Makers Asylum"),
        (Ready, "Ready at Makers Asylum"),
        (Shipped, "Shipped by Makers Asylum"),
        (Delivered, "Delivered"),
        (Declined, "Declined by Makers Asylum"),
        (Cancelled, "Cancelled"),
    ] {
        let part = ordered_part(vec![job("job-1", status, "Makers Asylum")], false);

        let html = render(html! { <OrderParts parts={vec![part]} /> }).await;

        assert!(html.contains(words), "{status:?}: {html}");
        assert_eq!(
            html.contains("Ready by"),
            status.in_the_making(),
            "{status:?}: {html}"
        );
    }
}

#[tokio::test]
async fn a_declined_part_says_why_and_which_space_it_went_on_to() {
    let declined = PartJob {
        reason: Some("Our resin printer is down".to_owned()),
        ..job("job-1", FabricationJobStatus::Declined, "Makers Asylum")
    };
    let next = job(
        "job-2",
        FabricationJobStatus::Dispatched,
        "Workbench Projects",
    );
    let part = ordered_part(vec![declined, next], false);

    let html = render(html! { <OrderParts parts={vec![part]} /> }).await;

    assert!(
        html.contains("Declined by Makers Asylum: Our resin printer is down"),
        "{html}"
    );
    assert!(html.contains("Passed on to Workbench Projects"), "{html}");
    assert!(
        html.contains("Sent to Workbench Projects, waiting for it to accept"),
        "{html}"
    );
    assert_eq!(html.matches("Ready by").count(), 1, "{html}");
    assert!(!html.contains(GIVEN_BACK), "{html}");
}

#[tokio::test]
async fn a_part_no_space_will_make_says_it_was_refunded() {
    let declined = PartJob {
        reason: Some("No PETG in stock".to_owned()),
        ..job("job-1", FabricationJobStatus::Declined, "Makers Asylum")
    };
    let declined_here = ordered_part(vec![declined], true);
    let never_sent = OrderedPart {
        id: "part-2".to_owned(),
        ..ordered_part(Vec::new(), true)
    };

    let html = render(html! { <OrderParts parts={vec![declined_here, never_sent]} /> }).await;

    assert!(
        html.contains("Declined by Makers Asylum: No PETG in stock"),
        "{html}"
    );
    assert_eq!(html.matches(GIVEN_BACK).count(), 2, "{html}");
    assert!(!html.contains("Passed on"), "{html}");
}

#[tokio::test]
async fn a_paid_part_without_a_job_yet_says_it_is_not_yet_sent() {
    let html = render(html! { <OrderParts parts={vec![ordered_part(Vec::new(), false)]} /> }).await;

    assert!(html.contains("Not yet sent to a makerspace"), "{html}");
}

#[test]
fn only_a_parts_standing_job_that_may_still_move_is_followed() {
    let moving = ordered_part(
        vec![
            job("job-1", FabricationJobStatus::Declined, "Makers Asylum"),
            job(
                "job-2",
                FabricationJobStatus::Accepted,
                "Workbench Projects",
            ),
        ],
        false,
    );
    let delivered = ordered_part(
        vec![job(
            "job-3",
            FabricationJobStatus::Delivered,
            "Makers Asylum",
        )],
        false,
    );

    assert_eq!(moving.followed_job(), Some("job-2"));
    assert_eq!(delivered.followed_job(), None);
    assert_eq!(ordered_part(Vec::new(), false).followed_job(), None);
}

fn cube_in_the_cart(makerspace: Option<&str>) -> CartPart {
    CartPart {
        quote_id: format!("quote-{}", makerspace.unwrap_or("any")),
        file_name: "cube.stl".to_owned(),
        material: "PLA".to_owned(),
        quantity: 2,
        price_minor: 29_880,
        currency: "INR".to_owned(),
        holds_until: "9 Dec 2026, 14:05".to_owned(),
        makerspace: makerspace.map(str::to_owned),
    }
}

#[tokio::test]
async fn a_part_in_the_cart_says_what_who_makes_it_its_price_and_until_when_it_holds() {
    let parts = vec![cube_in_the_cart(Some("E2E Cave")), cube_in_the_cart(None)];
    let html = render(html! {
        <CartParts {parts} on_remove={Callback::from(|_: String| ())} />
    })
    .await;

    for shown in [
        "cube.stl",
        "PLA, 2 copies",
        "Made by E2E Cave",
        "Made by the space that has it ready first",
        "₹298.80",
        "Quote holds until 9 Dec 2026, 14:05",
        "aria-label=\"Remove cube.stl\"",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
}

#[tokio::test]
async fn checkout_lists_the_parts_without_taking_them_out() {
    let html = render(html! { <CartParts parts={vec![cube_in_the_cart(None)]} /> }).await;

    assert!(html.contains("cube.stl"), "{html}");
    assert!(!html.contains("Remove"), "{html}");
}

#[tokio::test]
async fn a_quote_offers_each_space_or_the_earliest_and_says_when_the_part_is_in_the_cart() {
    let order = |chosen: Option<&str>, adding: PartAdding| {
        html! {
            <PartOrder quote={cube_quote()} chosen={chosen.map(str::to_owned)}
                on_choose={Callback::from(|_: Option<String>| ())} {adding}
                on_add={Callback::from(|()| ())} />
        }
    };
    let fresh = render(order(None, PartAdding::Idle)).await;
    let chosen = render(order(
        Some("farm"),
        PartAdding::Added {
            makerspace: Some("Print Farm".to_owned()),
            items: 2,
        },
    ))
    .await;
    let refused = render(order(
        None,
        PartAdding::Refused("The quote expired on 9 Dec 2026: ask for a new one".to_owned()),
    ))
    .await;

    assert!(fresh.contains("Order from Print Farm"), "{fresh}");
    assert!(fresh.contains("ready by 8 Dec 2026, 19:05"), "{fresh}");
    assert!(
        fresh.contains("Whichever space has it ready first"),
        "{fresh}"
    );
    assert!(fresh.contains("Add to cart — earliest ready"), "{fresh}");
    assert!(chosen.contains(">Add to cart<"), "{chosen}");
    assert!(
        chosen.contains("In your cart, to be made by Print Farm. Your cart holds 2 items."),
        "{chosen}"
    );
    assert!(chosen.contains("href=\"/cart\""), "{chosen}");
    assert!(refused.contains("role=\"alert\""), "{refused}");
    assert!(
        refused.contains("The quote expired on 9 Dec 2026"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_quote_nobody_can_make_or_expired_cannot_be_ordered() {
    let order = |quote: PartQuote| {
        html! {
            <PartOrder {quote} chosen={None::<String>} on_choose={Callback::from(|_: Option<String>| ())}
                adding={PartAdding::Idle} on_add={Callback::from(|()| ())} />
        }
    };
    let unmade = render(order(PartQuote {
        offers: Vec::new(),
        ..cube_quote()
    }))
    .await;
    let expired = render(order(PartQuote {
        expired: true,
        ..cube_quote()
    }))
    .await;

    assert!(unmade.contains("no makerspace can make it yet"), "{unmade}");
    assert!(!unmade.contains("Add to cart"), "{unmade}");
    assert!(expired.contains("This quote has expired"), "{expired}");
    assert!(!expired.contains("Add to cart"), "{expired}");
}
