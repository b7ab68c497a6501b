//! A space's stock: its items, finding them, adding them, their movements, and items falling
//! low while the page is open.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::fields::{chosen, typed};
use crate::app::Route;
use crate::marks::Sent;
use crate::time::parse_money;
use crate::types::{
    ItemCategory, LowAlert, Movement, MovementChoices, MovementKind, NewItem, NewMovement,
    StockFilter, StockItem, StockUnit, plain_decimal,
};

/// Properties of [`StockList`].
#[derive(Properties, PartialEq)]
pub struct StockListProps {
    /// The items, by name.
    pub items: Vec<StockItem>,
    /// Whether more items match than are shown.
    pub more: bool,
    /// Whether a filter picked them: an empty list then says nothing matched.
    pub filtered: bool,
}

/// Items with how much there is and where, the low ones marked.
#[function_component]
pub fn StockList(props: &StockListProps) -> Html {
    if props.items.is_empty() {
        let empty = if props.filtered {
            "Nothing here matches."
        } else {
            "Nothing is kept here yet."
        };
        return html! { <p class="bookings__empty">{ empty }</p> };
    }
    html! {
        <>
            <ul class="stock-list">
                { for props.items.iter().map(|item| html! {
                    <li class="stock-item" key={item.id.clone()}>
                        <span>
                            <Link<Route> to={Route::Item { id: item.id.clone() }} classes="stock-item__name">
                                { &item.name }
                            </Link<Route>>
                            if item.low {
                                <span class="stock-low">{ "Low" }</span>
                            }
                        </span>
                        <span class="stock-item__on-hand">{ item.unit.amount(&item.on_hand) }</span>
                        <span class="stock-item__detail">{ item_detail(item) }</span>
                    </li>
                }) }
            </ul>
            if props.more {
                <p class="bookings__empty">{ "Only the first 100 are shown: search to find the rest." }</p>
            }
        </>
    }
}

/// An item's SKU, category, places and reorder point, in a line.
pub fn item_detail(item: &StockItem) -> String {
    let mut parts = Vec::new();
    if let Some(sku) = &item.sku {
        parts.push(format!("SKU {sku}"));
    }
    parts.push(item.category.label().to_owned());
    if !item.levels.is_empty() {
        let places: Vec<String> = item
            .levels
            .iter()
            .map(|level| format!("{} {}", item.unit.amount(&level.on_hand), level.place))
            .collect();
        parts.push(places.join(", "));
    }
    parts.push(format!(
        "reorder at {}",
        item.unit.amount(&item.reorder_point)
    ));
    parts.join(" · ")
}

/// Properties of [`StockSearch`].
#[derive(Properties, PartialEq)]
pub struct StockSearchProps {
    /// What is searched for now.
    pub filter: StockFilter,
    /// Searches again.
    pub on_search: Callback<StockFilter>,
}

/// Finding items by name or SKU, or only the low ones.
#[function_component]
pub fn StockSearch(props: &StockSearchProps) -> Html {
    let search = use_state(|| props.filter.search.clone());
    let submit = {
        let (on_search, filter, search) = (
            props.on_search.clone(),
            props.filter.clone(),
            search.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_search.emit(StockFilter {
                search: (*search).clone(),
                ..filter.clone()
            });
        })
    };
    let toggle = {
        let (on_search, filter) = (props.on_search.clone(), props.filter.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            on_search.emit(StockFilter {
                low_only: input.checked(),
                ..filter.clone()
            });
        })
    };
    html! {
        <form class="stock-filter" role="search" onsubmit={submit}>
            <div class="field">
                <label class="field__label" for="stock-search">{ "Name or SKU" }</label>
                <input class="field__control" id="stock-search" type="search" maxlength="100"
                    value={(*search).clone()} oninput={typed(&search)} />
            </div>
            <button class="button button--quiet" type="submit">{ "Search" }</button>
            <label class="field field--check">
                <input type="checkbox" checked={props.filter.low_only} onchange={toggle} />
                { "Only what is running low" }
            </label>
        </form>
    }
}

/// Properties of [`LowAlerts`].
#[derive(Properties, PartialEq)]
pub struct LowAlertsProps {
    /// Items that fell to their reorder point while the page was open, newest first, each
    /// with its unit where the page knows it.
    pub alerts: Vec<(LowAlert, StockUnit)>,
}

/// What fell low while the page was open, announced as it happens.
#[function_component]
pub fn LowAlerts(props: &LowAlertsProps) -> Html {
    html! {
        <ul class="stock-alerts" aria-live="polite" aria-label="Running low">
            { for props.alerts.iter().map(|(alert, unit)| html! {
                <li class="stock-alerts__alert" key={format!("{}-{}", alert.item_id, alert.on_hand)}>
                    <strong>{ format!("{} is running low: ", alert.name) }</strong>
                    { format!("{} left, reorder at {}.", unit.amount(&alert.on_hand), unit.amount(&alert.reorder_point)) }
                    { " " }
                    <Link<Route> to={Route::Item { id: alert.item_id.clone() }}>{ "Open it" }</Link<Route>>
                </li>
            }) }
        </ul>
    }
}

/// Properties of [`ItemForm`].
#[derive(Properties, PartialEq)]
pub struct ItemFormProps {
    /// Where the last addition stands.
    pub state: Sent,
    /// Adds the item.
    pub on_add: Callback<NewItem>,
}

/// A new item: its name, SKU, category, unit, reorder point, what one costs and the store
/// product it is bought as. It starts with nothing on hand: what arrives is received on its
/// page (or by a store order bought for the space).
#[function_component]
pub fn ItemForm(props: &ItemFormProps) -> Html {
    let name = use_state(String::new);
    let sku = use_state(String::new);
    let category = use_state(|| ItemCategory::Consumable.label().to_owned());
    let unit = use_state(|| StockUnit::Pieces.label().to_owned());
    let reorder_point = use_state(|| "0".to_owned());
    let cost = use_state(String::new);
    let store_sku = use_state(String::new);
    let store_pack = use_state(|| "1".to_owned());
    {
        let fields = [name.clone(), sku.clone(), cost.clone(), store_sku.clone()];
        let (reorder_point, store_pack) = (reorder_point.clone(), store_pack.clone());
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                fields.iter().for_each(|field| field.set(String::new()));
                reorder_point.set("0".to_owned());
                store_pack.set("1".to_owned());
            }
        });
    }
    // Empty is no known cost; anything else must be an amount.
    let cost_minor = match cost.trim() {
        "" => Some(None),
        typed => parse_money(typed).map(Some),
    };
    let add = {
        let item = cost_minor.map(|unit_cost_minor| NewItem {
            unit_cost_minor,
            store_sku: (*store_sku).clone(),
            store_pack: (*store_pack).clone(),
            name: (*name).clone(),
            sku: (*sku).clone(),
            category: ItemCategory::ALL
                .into_iter()
                .find(|option| option.label() == *category)
                .unwrap_or(ItemCategory::Consumable),
            unit: StockUnit::ALL
                .into_iter()
                .find(|option| option.label() == *unit)
                .unwrap_or(StockUnit::Pieces),
            reorder_point: (*reorder_point).clone(),
        });
        let on_add = props.on_add.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(item) = &item {
                on_add.emit(item.clone());
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={add}>
            <div class="field">
                <label class="field__label" for="item-name">{ "Name" }</label>
                <input class="field__control" id="item-name" type="text" maxlength="200" required=true
                    placeholder="PLA filament, black"
                    value={(*name).clone()} oninput={typed(&name)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="item-sku">{ "SKU (optional)" }</label>
                <input class="field__control" id="item-sku" type="text" maxlength="64"
                    value={(*sku).clone()} oninput={typed(&sku)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="item-category">{ "Category" }</label>
                <select class="field__control" id="item-category" onchange={chosen(&category)} disabled={sending}>
                    { for ItemCategory::ALL.iter().map(|option| html! {
                        <option value={option.label()} selected={option.label() == *category}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="item-unit">{ "Counted in" }</label>
                <select class="field__control" id="item-unit" onchange={chosen(&unit)} disabled={sending}>
                    { for StockUnit::ALL.iter().map(|option| html! {
                        <option value={option.label()} selected={option.label() == *unit}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="item-reorder">{ "Reorder at" }</label>
                <input class="field__control" id="item-reorder" type="text" inputmode="decimal" required=true
                    aria-describedby="item-reorder-help"
                    value={(*reorder_point).clone()} oninput={typed(&reorder_point)} disabled={sending} />
                <span class="field__help" id="item-reorder-help">{ "Staff are told when stock falls to it." }</span>
            </div>
            <div class="field">
                <label class="field__label" for="item-cost">{ "One costs (optional)" }</label>
                <input class="field__control" id="item-cost" type="text" inputmode="decimal"
                    aria-invalid={cost_minor.is_none().to_string()} aria-describedby="item-cost-help"
                    value={(*cost).clone()} oninput={typed(&cost)} disabled={sending} />
                <span class="field__help" id="item-cost-help">
                    { if cost_minor.is_some() { "What the space pays for one unit" } else { "An amount like 0.05" } }
                </span>
            </div>
            <div class="field">
                <label class="field__label" for="item-store-sku">{ "Bought from the store as (SKU, optional)" }</label>
                <input class="field__control" id="item-store-sku" type="text" maxlength="64"
                    value={(*store_sku).clone()} oninput={typed(&store_sku)} disabled={sending} />
            </div>
            if !store_sku.trim().is_empty() {
                <div class="field">
                    <label class="field__label" for="item-store-pack">{ "One from the store is" }</label>
                    <input class="field__control" id="item-store-pack" type="text" inputmode="decimal" required=true
                        aria-describedby="item-store-pack-help"
                        value={(*store_pack).clone()} oninput={typed(&store_pack)} disabled={sending} />
                    <span class="field__help" id="item-store-pack-help">
                        { "In the unit it is counted in: 1000 grams to a 1 kg spool. Delivered orders restock it by this." }
                    </span>
                </div>
            }
            { props.state.outcome("Not added.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Add the item" }</button>
            </div>
        </form>
    }
}

/// Properties of [`MovementForm`].
#[derive(Properties, PartialEq)]
pub struct MovementFormProps {
    /// What the item is counted in.
    pub unit: StockUnit,
    /// The places and members to choose from.
    pub choices: MovementChoices,
    /// Where the last movement stands.
    pub state: Sent,
    /// Records the movement.
    pub on_record: Callback<NewMovement>,
}

/// Recording a movement of an item: what happened, how much, where, and why.
#[function_component]
pub fn MovementForm(props: &MovementFormProps) -> Html {
    let kind = use_state(|| MovementKind::Issue.label().to_owned());
    let quantity = use_state(String::new);
    let place = use_state(String::new);
    let to_place = use_state(String::new);
    let member = use_state(String::new);
    let reason = use_state(String::new);
    {
        let (quantity, reason) = (quantity.clone(), reason.clone());
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                quantity.set(String::new());
                reason.set(String::new());
            }
        });
    }
    if props.choices.places.is_empty() {
        return html! {
            <p class="bookings__empty">{ "Add a place to the space's stock first: every movement happens somewhere." }</p>
        };
    }
    let kind_now = MovementKind::ALL
        .into_iter()
        .find(|option| option.label() == *kind)
        .unwrap_or(MovementKind::Issue);
    // The place chosen, or the first until one is.
    let place_now = props
        .choices
        .places
        .iter()
        .find(|option| option.id == *place)
        .or(props.choices.places.first())
        .map(|option| option.id.clone())
        .unwrap_or_default();
    let chosen_id = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let movement = NewMovement {
        kind: kind_now,
        quantity: (*quantity).clone(),
        place: place_now.clone(),
        to_place: chosen_id(&to_place).filter(|_| kind_now == MovementKind::Transfer),
        member: chosen_id(&member).filter(|_| kind_now == MovementKind::Issue),
        reason: (*reason).clone(),
    };
    let record = {
        let on_record = props.on_record.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_record.emit(movement.clone());
        })
    };
    let sending = props.state == Sent::Sending;
    let quantity_label = if kind_now == MovementKind::Adjust {
        format!("Counted ({})", props.unit.label().to_lowercase())
    } else {
        format!("How much ({})", props.unit.label().to_lowercase())
    };
    let places = |selected: &str| {
        props
            .choices
            .places
            .iter()
            .map(|option| {
                html! {
                    <option value={option.id.clone()} selected={option.id == selected}>{ &option.name }</option>
                }
            })
            .collect::<Html>()
    };
    html! {
        <form class="booking__form" onsubmit={record}>
            <div class="field">
                <label class="field__label" for="movement-kind">{ "What happened" }</label>
                <select class="field__control" id="movement-kind" onchange={chosen(&kind)} disabled={sending}>
                    { for MovementKind::ALL.iter().map(|option| html! {
                        <option value={option.label()} selected={*option == kind_now}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="movement-quantity">{ quantity_label }</label>
                <input class="field__control" id="movement-quantity" type="text" inputmode="decimal" required=true
                    value={(*quantity).clone()} oninput={typed(&quantity)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="movement-place">{ kind_now.place_label() }</label>
                <select class="field__control" id="movement-place" onchange={chosen(&place)} disabled={sending}>
                    { places(&place_now) }
                </select>
            </div>
            if kind_now == MovementKind::Transfer {
                <div class="field">
                    <label class="field__label" for="movement-to">{ "Moved to" }</label>
                    <select class="field__control" id="movement-to" onchange={chosen(&to_place)} disabled={sending} required=true>
                        <option value="" selected={to_place.is_empty()}>{ "Choose a place" }</option>
                        { places(&to_place) }
                    </select>
                </div>
            }
            if kind_now == MovementKind::Issue {
                <div class="field">
                    <label class="field__label" for="movement-member">{ "To" }</label>
                    <select class="field__control" id="movement-member" onchange={chosen(&member)} disabled={sending}>
                        <option value="" selected={member.is_empty()}>{ "Nobody in particular" }</option>
                        { for props.choices.members.iter().map(|(id, name)| html! {
                            <option value={id.clone()} selected={*id == *member}>{ name }</option>
                        }) }
                    </select>
                </div>
            }
            <div class="field field--wide">
                <label class="field__label" for="movement-reason">{ "Why" }</label>
                <input class="field__control" id="movement-reason" type="text" maxlength="500"
                    placeholder="For the 3D printing course"
                    value={(*reason).clone()} oninput={typed(&reason)} disabled={sending} />
            </div>
            { props.state.outcome("Not recorded.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Record it" }</button>
            </div>
        </form>
    }
}

/// Properties of [`MovementList`].
#[derive(Properties, PartialEq)]
pub struct MovementListProps {
    /// The movements, newest first.
    pub movements: Vec<Movement>,
    /// What the item is counted in.
    pub unit: StockUnit,
}

/// An item's latest movements: what, how much, where, who and why.
#[function_component]
pub fn MovementList(props: &MovementListProps) -> Html {
    if props.movements.is_empty() {
        return html! { <p class="bookings__empty">{ "Nothing has moved yet." }</p> };
    }
    html! {
        <ul class="bookings__list">
            { for props.movements.iter().map(|movement| html! {
                <li class="booking-item" key={movement.id.clone()}>
                    <div class="booking-item__text">
                        <span class="booking-item__when">{ movement.at.day_and_clock() }</span>
                        <span>{ movement_words(movement, props.unit) }</span>
                        if !movement.reason.is_empty() {
                            <span>{ &movement.reason }</span>
                        }
                        <span class="booking-item__status">{ format!("Recorded by {}", movement.by) }</span>
                    </div>
                </li>
            }) }
        </ul>
    }
}

/// A movement in a sentence: `Issued 3 pieces from Shelf B2 to Ada (-3)`.
pub fn movement_words(movement: &Movement, unit: StockUnit) -> String {
    let amount = unit.amount(&movement.quantity);
    let mut words = match movement.kind {
        MovementKind::Receive => format!("Received {amount} at {}", movement.place),
        MovementKind::Adjust => format!("Counted {amount} at {}", movement.place),
        MovementKind::Transfer => format!(
            "Moved {amount} from {} to {}",
            movement.place,
            movement.to_place.as_deref().unwrap_or("another place")
        ),
        kind => format!("{} {amount} from {}", kind.done(), movement.place),
    };
    if let Some(member) = &movement.member {
        words.push_str(&format!(" to {member}"));
    }
    let change = plain_decimal(&movement.change);
    if movement.kind != MovementKind::Transfer {
        let signed = if change.starts_with('-') || change == "0" {
            change.to_owned()
        } else {
            format!("+{change}")
        };
        words.push_str(&format!(" ({signed})"));
    }
    words
}
