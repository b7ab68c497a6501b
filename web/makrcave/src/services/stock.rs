//! A space's stock: its items and places, their movements, labels, and low stock live.

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;

use super::local_time;
use crate::types::{
    ItemCategory, ItemPage, Labels, Level, LowAlert, MembershipRole, Movement, MovementChoices,
    MovementKind, NewItem, NewMovement, Place, Stock, StockFilter, StockItem, StockSpace,
    StockUnit,
};

/// The API's RFC 3339 timestamps and decimals, as text.
type DateTime = String;
type Decimal = String;

operation!(
    SpaceStockPage,
    "graphql/inventory.graphql",
    ["MembershipRole"]
);
operation!(
    SpaceStock,
    "graphql/inventory.graphql",
    ["ItemCategory", "StockUnit"]
);
operation!(
    InventoryItemPage,
    "graphql/inventory.graphql",
    [
        "ItemCategory",
        "StockUnit",
        "MovementKind",
        "MembershipRole"
    ]
);
operation!(StockMovementChoices, "graphql/inventory.graphql");
operation!(
    AddInventoryItem,
    "graphql/inventory.graphql",
    ["ItemCategory", "StockUnit"]
);
operation!(AddInventoryLocation, "graphql/inventory.graphql");
operation!(
    RecordStockMovement,
    "graphql/inventory.graphql",
    ["MovementKind"]
);
operation!(
    /// Items of a space falling to their reorder point, as they do.
    feed StockLow,
    "graphql/inventory.graphql",
    []
);

makrx_web::resumable!(StockLow, stock_low);

/// An item read from any operation's answer: graphql_client makes a type per operation, and
/// these fields have the same names in each. Field by field, so that the answer's other fields
/// may have been taken already.
macro_rules! stock_item {
    ($item:ident) => {
        StockItem {
            id: $item.id,
            name: $item.name,
            sku: $item.sku,
            category: $item.category,
            unit: $item.unit,
            on_hand: $item.on_hand,
            reorder_point: $item.reorder_point,
            low: $item.low,
            levels: $item
                .levels
                .into_iter()
                .map(|level| Level {
                    place: level.location.name,
                    on_hand: level.on_hand,
                })
                .collect(),
        }
    };
}

macro_rules! places {
    ($places:expr) => {
        $places
            .into_iter()
            .map(|place| Place {
                id: place.id,
                name: place.name,
            })
            .collect()
    };
}

/// The space at `slug`, and whether the person is on its staff.
pub async fn stock_space(slug: String) -> Result<StockSpace, RequestError> {
    let page = request::<SpaceStockPage>(space_stock_page::Variables { slug }).await?;
    let space = page.makerspace;
    let role = role_in!(page.me.memberships, space.id);
    Ok(StockSpace {
        makerspace_id: space.id,
        name: space.name,
        staff: role.is_some_and(MembershipRole::runs_the_desk),
    })
}

/// The items of the space `makerspace_id` that `filter` picks (the first 100 by name), and
/// its places.
pub async fn stock((makerspace_id, filter): (String, StockFilter)) -> Result<Stock, RequestError> {
    let search = filter.search.trim();
    let variables = space_stock::Variables {
        makerspace_id,
        search: (!search.is_empty()).then(|| search.to_owned()),
        low_only: filter.low_only,
        location_id: filter.place,
        after: None,
    };
    let answer = request::<SpaceStock>(variables).await?;
    Ok(Stock {
        more: answer.inventory_items.page_info.has_next_page,
        items: answer
            .inventory_items
            .nodes
            .into_iter()
            .map(|item| stock_item!(item))
            .collect(),
        places: places!(answer.inventory_locations),
    })
}

/// Every item and place of the space at `slug`, for a sheet of labels.
pub async fn labels(slug: String) -> Result<Labels, RequestError> {
    let space = stock_space(slug).await?;
    let (mut items, mut after) = (Vec::new(), None);
    let places = loop {
        let variables = space_stock::Variables {
            makerspace_id: space.makerspace_id.clone(),
            search: None,
            low_only: false,
            location_id: None,
            after,
        };
        let answer = request::<SpaceStock>(variables).await?;
        let page = answer.inventory_items;
        items.extend(page.nodes.into_iter().map(|item| stock_item!(item)));
        match page.page_info.end_cursor {
            Some(cursor) if page.page_info.has_next_page => after = Some(cursor),
            _ => break places!(answer.inventory_locations),
        }
    };
    Ok(Labels {
        space,
        items,
        places,
    })
}

/// The item `id` with its places and latest movements.
pub async fn item_page(id: String) -> Result<ItemPage, RequestError> {
    let answer = request::<InventoryItemPage>(inventory_item_page::Variables { id }).await?;
    let item = answer.inventory_item;
    let role = role_in!(answer.me.memberships, item.makerspace.id);
    let movements = item
        .movements
        .into_iter()
        .map(|movement| {
            Ok(Movement {
                at: local_time(&movement.recorded_at)?,
                id: movement.id,
                kind: movement.kind,
                quantity: movement.quantity,
                change: movement.change,
                place: movement.location,
                to_place: movement.to_location,
                member: movement.member.map(|member| member.display_name),
                by: movement.recorded_by.display_name,
                reason: movement.reason,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    let space = item.makerspace;
    Ok(ItemPage {
        item: stock_item!(item),
        makerspace_id: space.id,
        space_name: space.name,
        space_slug: space.slug,
        staff: role.is_some_and(MembershipRole::runs_the_desk),
        movements,
    })
}

/// The places of the space `makerspace_id` and its members in good standing, by name.
pub async fn movement_choices(makerspace_id: String) -> Result<MovementChoices, RequestError> {
    let variables = stock_movement_choices::Variables { makerspace_id };
    let answer = request::<StockMovementChoices>(variables).await?;
    let members = in_good_standing!(answer.members.nodes, |membership| (
        membership.user.id,
        membership.user.display_name
    ));
    Ok(MovementChoices {
        places: places!(answer.inventory_locations),
        members,
    })
}

/// Adds `item` to the space `makerspace_id`, its store SKU looked up in the store first;
/// answers its id.
pub async fn add_item(makerspace_id: String, item: NewItem) -> Result<String, RequestError> {
    let store_product_id = match item.store_sku.trim() {
        "" => None,
        sku => Some(super::store_variant(sku).await?.1),
    };
    let sku = item.sku.trim();
    let input = add_inventory_item::AddInventoryItemInput {
        makerspace_id,
        name: item.name.trim().to_owned(),
        unit: item.unit,
        category: item.category,
        sku: (!sku.is_empty()).then(|| sku.to_owned()),
        reorder_point: item.reorder_point.trim().to_owned(),
        store_pack: match store_product_id {
            Some(_) => item.store_pack.trim().to_owned(),
            None => "1".to_owned(),
        },
        store_product_id,
        unit_cost_minor: item.unit_cost_minor,
    };
    let answer = request::<AddInventoryItem>(add_inventory_item::Variables { input }).await?;
    Ok(answer.add_inventory_item.id)
}

/// Adds the place `name` to the space `makerspace_id`.
pub async fn add_place(makerspace_id: String, name: String) -> Result<(), RequestError> {
    let input = add_inventory_location::AddInventoryLocationInput {
        makerspace_id,
        name: name.trim().to_owned(),
    };
    request::<AddInventoryLocation>(add_inventory_location::Variables { input }).await?;
    Ok(())
}

/// Records `movement` of the item `item_id`; answers what the item now holds, and whether that
/// is low.
pub async fn record_movement(
    item_id: String,
    movement: NewMovement,
) -> Result<(String, bool), RequestError> {
    let input = record_stock_movement::RecordStockMovementInput {
        item_id,
        kind: movement.kind,
        quantity: movement.quantity.trim().to_owned(),
        location_id: movement.place,
        to_location_id: movement.to_place,
        member_id: movement.member,
        reason: movement.reason.trim().to_owned(),
    };
    let answer = request::<RecordStockMovement>(record_stock_movement::Variables { input }).await?;
    let item = answer.record_stock_movement.item;
    Ok((item.on_hand, item.low))
}

/// A stock-low event as the page shows it.
pub fn low_alert(event: stock_low::StockLowStockLow) -> LowAlert {
    LowAlert {
        item_id: event.item_id,
        name: event.name,
        on_hand: event.on_hand,
        reorder_point: event.reorder_point,
    }
}
