//! `/spaces/<slug>/inventory` (and `/at/<place>`), `/inventory/<id>` and
//! `/spaces/<slug>/inventory/labels`: a space's stock for its members, items falling low shown
//! as they do; staff add items and places, record movements and print labels.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_feed, use_reload_on_change, use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{ItemLendingPanel, MembersOnly, failed, loading, print};
use crate::app::{Route, address};
use crate::components::{
    ItemForm, LowAlerts, MovementForm, MovementList, NameForm, QrLabel, StockList, StockSearch,
    item_detail,
};
use crate::marks::{Sent, send};
use crate::services::{self, StockLow, stock_low};
use crate::types::{ItemPage as Item, LowAlert, NewItem, NewMovement, StockFilter, StockSpace};

/// What a page about a space's stock shows when it cannot load: the API's words for who may
/// not see it, a missing space or item, or a way to try again.
fn unavailable(what: &str, error: &makrx_web::graphql::RequestError, retry: Callback<()>) -> Html {
    if error.is_not_found() {
        html! {
            <Notice title={format!("There is no {what} here")}>
                <p>{ "It may have been removed, or it belongs to a makerspace you cannot see." }</p>
            </Notice>
        }
    } else {
        failed(&format!("The {what} could not be loaded"), error, retry)
    }
}

/// Properties of [`StockPage`].
#[derive(Properties, PartialEq)]
pub struct StockPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
    /// Only what this place holds (its API id): where a place's label leads.
    #[prop_or_default]
    pub place: Option<AttrValue>,
}

/// A space's stock.
#[function_component]
pub fn StockPage(props: &StockPageProps) -> Html {
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see this makerspace's stock">
                <SpaceStock slug={props.slug.clone()} place={props.place.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn SpaceStock(props: &StockPageProps) -> Html {
    let space = use_remote(props.slug.to_string(), services::stock_space);
    use_title(match &*space.state {
        Remote::Ready(space) => format!("{}: stock", space.name),
        _ => "Stock".to_owned(),
    });
    match &*space.state {
        Remote::Loading => loading("Loading the stock…"),
        Remote::Failed(error) => unavailable("makerspace", error, space.retry.clone()),
        Remote::Ready(loaded) => html! {
            <LiveStock space={loaded.clone()} slug={props.slug.clone()}
                place={props.place.as_ref().map(|place| place.to_string())} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct LiveStockProps {
    space: StockSpace,
    slug: AttrValue,
    place: Option<String>,
}

/// Items that fell low while the page was open, newest first.
#[derive(Default, PartialEq)]
struct Alerts(Vec<LowAlert>);

impl Reducible for Alerts {
    type Action = LowAlert;

    fn reduce(self: std::rc::Rc<Self>, alert: LowAlert) -> std::rc::Rc<Self> {
        let mut alerts = vec![alert];
        alerts.extend(self.0.iter().take(9).cloned());
        Self(alerts).into()
    }
}

#[function_component]
fn LiveStock(props: &LiveStockProps) -> Html {
    let space = &props.space;
    let filter = use_state(|| StockFilter {
        place: props.place.clone(),
        ..StockFilter::default()
    });
    let stock = use_remote(
        (space.makerspace_id.clone(), (*filter).clone()),
        services::stock,
    );
    let alerts = use_reducer(Alerts::default);
    let feed = stock_low::Variables {
        makerspace_id: space.makerspace_id.clone(),
        after: None,
    };
    let on_low = {
        let (alert, reload) = (alerts.dispatcher(), stock.refresh.clone());
        Callback::from(move |event: stock_low::ResponseData| {
            alert.dispatch(services::low_alert(event.stock_low));
            reload.emit(());
        })
    };
    let link = use_feed::<StockLow>(feed, on_low, stock.refresh.clone());
    let adding_item = use_state(|| Sent::Writing);
    let adding_place = use_state(|| Sent::Writing);
    let on_add_item = {
        let (state, reload, space_id) = (
            adding_item.clone(),
            stock.refresh.clone(),
            space.makerspace_id.clone(),
        );
        Callback::from(move |item: NewItem| {
            let name = item.name.trim().to_owned();
            let added = services::add_item(space_id.clone(), item);
            send(state.clone(), reload.clone(), async move {
                added.await?;
                Ok(format!(
                    "{name} added, with nothing on hand: receive what there is on its page."
                ))
            });
        })
    };
    let on_add_place = {
        let (state, reload, space_id) = (
            adding_place.clone(),
            stock.refresh.clone(),
            space.makerspace_id.clone(),
        );
        Callback::from(move |name: String| {
            let added = services::add_place(space_id.clone(), name.clone());
            send(state.clone(), reload.clone(), async move {
                added.await?;
                Ok(format!("{} added.", name.trim()))
            });
        })
    };
    let on_search = {
        let filter = filter.clone();
        Callback::from(move |chosen: StockFilter| filter.set(chosen))
    };
    let place_name = match (&*stock.state, &filter.place) {
        (Remote::Ready(stock), Some(place)) => stock
            .places
            .iter()
            .find(|option| option.id == *place)
            .map(|option| option.name.clone()),
        _ => None,
    };
    let units = |alert: &LowAlert| match &*stock.state {
        Remote::Ready(stock) => stock
            .items
            .iter()
            .find(|item| item.id == alert.item_id)
            .map_or(crate::types::StockUnit::Unknown, |item| item.unit),
        _ => crate::types::StockUnit::Unknown,
    };
    let alerts: Vec<_> = alerts
        .0
        .iter()
        .map(|alert| (alert.clone(), units(alert)))
        .collect();
    let title = match &place_name {
        Some(place) => format!("{}: stock at {place}", space.name),
        None => format!("{}: stock", space.name),
    };
    html! {
        <>
            <section class="panel" aria-labelledby="stock-heading">
                <header class="panel__head">
                    <h1 class="panel__title" id="stock-heading">{ title }</h1>
                    <LiveIndicator state={link} />
                </header>
                <LowAlerts {alerts} />
                if filter.place.is_some() {
                    <p class="machines__summary">
                        <Link<Route> to={Route::Stock { slug: props.slug.to_string() }}>{ "See everything the space keeps" }</Link<Route>>
                    </p>
                }
                <StockSearch filter={(*filter).clone()} {on_search} />
                { match &*stock.state {
                    Remote::Loading => loading("Loading the items…"),
                    Remote::Failed(error) => failed("The items could not be loaded", error, stock.retry.clone()),
                    Remote::Ready(loaded) => html! {
                        <StockList items={loaded.items.clone()} more={loaded.more}
                            filtered={*filter != StockFilter::default()} />
                    },
                } }
            </section>
            if space.staff {
                <section class="booking panel" aria-labelledby="add-item-heading">
                    <h2 class="panel__title" id="add-item-heading">{ "Add an item" }</h2>
                    <ItemForm state={(*adding_item).clone()} on_add={on_add_item} />
                </section>
                <section class="booking panel" aria-labelledby="add-place-heading">
                    <h2 class="panel__title" id="add-place-heading">{ "Add a place" }</h2>
                    <p class="booking__summary">{ "A room, a shelf or a bin where stock is kept." }</p>
                    <NameForm id="place-name" label="Name" placeholder="Shelf B2" max_length={100}
                        button="Add the place" state={(*adding_place).clone()} on_add={on_add_place} />
                </section>
                <p class="machines__summary">
                    <Link<Route> to={Route::Labels { slug: props.slug.to_string() }} classes="button button--quiet">
                        { "Print labels" }
                    </Link<Route>>
                </p>
            }
        </>
    }
}

/// Properties of [`ItemPage`].
#[derive(Properties, PartialEq)]
pub struct ItemPageProps {
    /// The item's API id.
    pub id: AttrValue,
}

/// An item of a space's stock: what there is and where, its history; staff record movements.
#[function_component]
pub fn ItemPage(props: &ItemPageProps) -> Html {
    html! {
        <MembersOnly prompt="Sign in to see this item">
            <LoadedItem id={props.id.clone()} />
        </MembersOnly>
    }
}

#[function_component]
fn LoadedItem(props: &ItemPageProps) -> Html {
    let page = use_remote(props.id.to_string(), services::item_page);
    use_title(match &*page.state {
        Remote::Ready(page) => page.item.name.clone(),
        _ => "An item".to_owned(),
    });
    match &*page.state {
        Remote::Loading => loading("Loading the item…"),
        Remote::Failed(error) => unavailable("item", error, page.retry.clone()),
        Remote::Ready(loaded) => html! {
            <LiveItem page={loaded.clone()} reload={page.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct LiveItemProps {
    page: Item,
    reload: Callback<()>,
}

#[function_component]
fn LiveItem(props: &LiveItemProps) -> Html {
    let (page, item) = (&props.page, &props.page.item);
    let feed = stock_low::Variables {
        makerspace_id: page.makerspace_id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<StockLow>(feed, props.reload.clone());
    let recording = use_state(|| Sent::Writing);
    let on_record = {
        let (state, reload, id, unit) = (
            recording.clone(),
            props.reload.clone(),
            item.id.clone(),
            item.unit,
        );
        Callback::from(move |movement: NewMovement| {
            let recorded = services::record_movement(id.clone(), movement);
            send(state.clone(), reload.clone(), async move {
                let (on_hand, low) = recorded.await?;
                let left = unit.amount(&on_hand);
                Ok(if low {
                    format!("Recorded: {left} on hand, running low.")
                } else {
                    format!("Recorded: {left} on hand.")
                })
            });
        })
    };
    let url = address(&Route::Item {
        id: item.id.clone(),
    });
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Stock { slug: page.space_slug.clone() }}>
                    { format!("← {}'s stock", page.space_name) }
                </Link<Route>>
            </nav>
            <section class="panel" aria-labelledby="item-heading">
                <header class="panel__head">
                    <h1 class="panel__title" id="item-heading">
                        { &item.name }
                        if item.low {
                            <span class="stock-low">{ "Low" }</span>
                        }
                    </h1>
                    <LiveIndicator state={link} />
                </header>
                <p class="machines__summary">
                    <strong>{ format!("{} on hand", item.unit.amount(&item.on_hand)) }</strong>
                    { format!(" · {}", item_detail(item)) }
                </p>
            </section>
            if page.staff {
                <section class="booking panel" aria-labelledby="movement-heading">
                    <h2 class="panel__title" id="movement-heading">{ "Record a movement" }</h2>
                    <Choices makerspace_id={page.makerspace_id.clone()} unit={item.unit}
                        state={(*recording).clone()} {on_record} />
                </section>
            }
            if page.staff {
                <ItemLendingPanel item_id={item.id.clone()} makerspace_id={page.makerspace_id.clone()}
                    unit={item.unit} reload={props.reload.clone()} />
            }
            <section class="booking panel" aria-labelledby="history-heading">
                <h2 class="panel__title" id="history-heading">{ "Latest movements" }</h2>
                <MovementList movements={page.movements.clone()} unit={item.unit} />
            </section>
            if page.staff {
                <section class="booking panel" aria-labelledby="label-heading">
                    <h2 class="panel__title" id="label-heading">{ "Label" }</h2>
                    <p class="booking__summary">{ "Stick it on the bin: scanning it opens this page." }</p>
                    <QrLabel name={item.name.clone()} detail={item.sku.clone().map(AttrValue::from)} {url} />
                    <button class="button" type="button" onclick={print()}>{ "Print the label" }</button>
                </section>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ChoicesProps {
    makerspace_id: String,
    unit: crate::types::StockUnit,
    state: Sent,
    on_record: Callback<NewMovement>,
}

/// The movement form once the places and members to choose from have loaded.
#[function_component]
fn Choices(props: &ChoicesProps) -> Html {
    let choices = use_remote(props.makerspace_id.clone(), services::movement_choices);
    match &*choices.state {
        Remote::Loading => loading("Loading the places…"),
        Remote::Failed(error) => failed(
            "The places could not be loaded",
            error,
            choices.retry.clone(),
        ),
        Remote::Ready(loaded) => html! {
            <MovementForm unit={props.unit} choices={loaded.clone()} state={props.state.clone()}
                on_record={props.on_record.clone()} />
        },
    }
}

/// Properties of [`LabelsPage`].
#[derive(Properties, PartialEq)]
pub struct LabelsPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// QR labels for every item and place of a space, to print on one sheet.
#[function_component]
pub fn LabelsPage(props: &LabelsPageProps) -> Html {
    use_title("Labels".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Stock { slug: props.slug.to_string() }}>{ "← The stock" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to print the labels">
                <Sheet slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Sheet(props: &LabelsPageProps) -> Html {
    let labels = use_remote(props.slug.to_string(), services::labels);
    let labels = match &*labels.state {
        Remote::Loading => return loading("Loading the labels…"),
        Remote::Failed(error) => return unavailable("makerspace", error, labels.retry.clone()),
        Remote::Ready(labels) => labels,
    };
    html! {
        <section class="panel" aria-labelledby="labels-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="labels-heading">{ format!("{}: labels", labels.space.name) }</h1>
                <button class="button" type="button" onclick={print()}>{ "Print the sheet" }</button>
            </header>
            <p class="machines__summary">
                { "An item's label opens its page, where staff record what moves; a place's label lists what it holds." }
            </p>
            if labels.items.is_empty() && labels.places.is_empty() {
                <p class="bookings__empty">{ "Nothing to label yet: add items and places to the stock first." }</p>
            }
            <ul class="labels">
                { for labels.items.iter().map(|item| html! {
                    <li key={item.id.clone()}>
                        <QrLabel name={item.name.clone()} detail={item.sku.clone().map(AttrValue::from)}
                            url={address(&Route::Item { id: item.id.clone() })} />
                    </li>
                }) }
                { for labels.places.iter().map(|place| html! {
                    <li key={place.id.clone()}>
                        <QrLabel name={place.name.clone()} detail={Some(AttrValue::from("Place"))}
                            url={address(&Route::StockAt { slug: props.slug.to_string(), place: place.id.clone() })} />
                    </li>
                }) }
            </ul>
        </section>
    }
}
