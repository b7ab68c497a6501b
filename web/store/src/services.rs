//! The store's calls to the API: each turns an answer into the page's plain types.

use makrx_web::graphql::{ApiError, FieldError, RequestError, request};
use makrx_web::operation;
use makrx_web::resumable;
use makrx_web::upload::{Progress, put_file};

use crate::drafts::{ProductDraft, VariantDraft, pairs, pairs_text};
use crate::money::{money, price_range};
use crate::types::{
    AddressForm, CardPayments, Cart, CartCoupon, CartLine, CartPart, Catalog, CategoryChoice,
    Checkout, Delivery, EditedProduct, EditedVariant, FabricationJobStatus, Image, KeptCatalog,
    KeptProduct, Material, Misfit, MyReview, Offer, OrderDetails, OrderLine, OrderRow, OrderStatus,
    OrderedPart, Orders, PartChoices, PartJob, PartMeasures, PartQuote, PartRow, Parts, Payment,
    PaymentProvider, PaymentStatus, PendingReview, Pickup, PrintPlan, PrintProcess, ProductCard,
    ProductDetails, ProductSort, QuotePrice, QuoteRow, QuoteStatus, Rating, Refund, Review,
    ReviewStatus, ShippingRate, StockAt, StockLocationKind, StockedVariant, Variant,
};

/// The same selection read from any operation's answer: graphql_client makes a type per
/// operation, and these fields have the same names in each.
macro_rules! category_choices {
    ($tops:expr) => {{
        let mut choices = Vec::new();
        for top in $tops {
            choices.push(CategoryChoice {
                id: top.id,
                name: top.name,
                depth: 0,
            });
            choices.extend(top.children.into_iter().map(|child| CategoryChoice {
                id: child.id,
                name: child.name,
                depth: 1,
            }));
        }
        choices
    }};
}

macro_rules! image {
    ($image:expr) => {{
        let image = $image;
        Image {
            url: image.url,
            alt: image.alt,
        }
    }};
}

macro_rules! pickup {
    ($location:expr) => {{
        let location = $location;
        Pickup {
            id: location.id,
            name: location.name,
        }
    }};
}

macro_rules! stocked_variant {
    ($variant:expr) => {{
        let variant = $variant;
        StockedVariant {
            id: variant.id,
            sku: variant.sku,
            name: variant.name,
            available: variant.stock_available,
            stock: variant
                .stock
                .into_iter()
                .map(|level| StockAt {
                    location_id: level.location.id,
                    on_hand: level.on_hand,
                    allocated: level.allocated,
                })
                .collect(),
        }
    }};
}

/// The API's RFC 3339 timestamps, as text.
type DateTime = String;

/// An instant of the API's in the reader's own words (`4 Dec 2026, 14:05`).
fn when(text: &str) -> String {
    let date = js_sys::Date::new(&js_sys::wasm_bindgen::JsValue::from_str(text));
    if date.get_time().is_nan() {
        return text.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in [
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    String::from(date.to_locale_string("en-GB", &options))
}

/// An instant of the API's in seconds since the epoch.
fn epoch_seconds(text: &str) -> Option<i64> {
    let millis = js_sys::Date::parse(text);
    (!millis.is_nan()).then(|| (millis / 1000.0) as i64)
}

operation!(CatalogPage, "graphql/catalog.graphql", ["ProductSort"]);

/// What the catalog is asked for: the words, the category, the price range (in minor units), only
/// what is in stock, the order, and from which cursor on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogAsk {
    pub search: Option<String>,
    pub category_id: Option<String>,
    /// Attribute values wanted, as name and value: a product matches with any value of each
    /// name given.
    pub attributes: Vec<(String, String)>,
    pub min_price_minor: Option<i64>,
    pub max_price_minor: Option<i64>,
    pub in_stock: bool,
    pub sort: ProductSort,
    pub after: Option<String>,
}

/// How many products a catalog page shows.
pub const CATALOG_PAGE: i64 = 24;

/// Name and value pairs as the API's filters: one per name, with its values in the order given.
fn wanted(pairs: Vec<(String, String)>) -> Vec<catalog_page::AttributeFilter> {
    let mut filters: Vec<catalog_page::AttributeFilter> = Vec::new();
    for (name, value) in pairs {
        match filters.iter_mut().find(|filter| filter.name == name) {
            Some(filter) => filter.values.push(value),
            None => filters.push(catalog_page::AttributeFilter {
                name,
                values: vec![value],
            }),
        }
    }
    filters
}

/// A page of the catalog as asked, with the categories to filter it by.
pub async fn catalog(ask: CatalogAsk) -> Result<Catalog, RequestError> {
    let filter = catalog_page::ProductFilter {
        search: ask.search,
        category_id: ask.category_id,
        attributes: wanted(ask.attributes),
        min_price_minor: ask.min_price_minor,
        max_price_minor: ask.max_price_minor,
        in_stock: ask.in_stock,
        include_unpublished: false,
    };
    let answer = request::<CatalogPage>(catalog_page::Variables {
        filter: Some(filter),
        sort: Some(ask.sort),
        first: Some(CATALOG_PAGE),
        after: ask.after,
    })
    .await?;
    let categories = category_choices!(answer.categories);
    let page = answer.products;
    Ok(Catalog {
        categories,
        products: page
            .nodes
            .into_iter()
            .map(|product| ProductCard {
                slug: product.slug,
                name: product.name,
                category: product.category.map(|category| category.name),
                price: product
                    .price_range
                    .map(|range| price_range(range.min_minor, range.max_minor, &range.currency)),
                in_stock: product.in_stock,
                image: product.images.into_iter().next().map(|i| image!(i)),
                rating: Rating {
                    average: product.rating.average,
                    count: product.rating.count,
                },
            })
            .collect(),
        attributes: page
            .attribute_values
            .into_iter()
            .map(|attribute| (attribute.name, attribute.values))
            .collect(),
        total: page.total_count,
        next: page
            .page_info
            .has_next_page
            .then_some(page.page_info.end_cursor)
            .flatten(),
    })
}

operation!(ProductPage, "graphql/product.graphql");

/// A product's page, by its address.
pub async fn product(slug: String) -> Result<ProductDetails, RequestError> {
    let product = request::<ProductPage>(product_page::Variables { slug })
        .await?
        .product;
    Ok(ProductDetails {
        id: product.id,
        name: product.name,
        description: product.description,
        trail: product
            .category
            .map(|category| category.path.into_iter().map(|step| step.name).collect())
            .unwrap_or_default(),
        attributes: product
            .attributes
            .into_iter()
            .map(|attribute| (attribute.name, attribute.value))
            .collect(),
        images: product.images.into_iter().map(|i| image!(i)).collect(),
        rating: Rating {
            average: product.rating.average,
            count: product.rating.count,
        },
        reviews: product
            .reviews
            .nodes
            .into_iter()
            .map(|review| Review {
                written: when(&review.created_at),
                id: review.id,
                author: review.author_name,
                rating: review.rating,
                title: review.title,
                body: review.body,
                verified_purchase: review.verified_purchase,
            })
            .collect(),
        variants: product
            .variants
            .into_iter()
            .map(|variant| Variant {
                id: variant.id,
                sku: variant.sku,
                name: variant.name,
                price_minor: variant.price_minor,
                currency: variant.currency,
                options: variant
                    .options
                    .into_iter()
                    .map(|option| (option.name, option.value))
                    .collect(),
                available: variant.stock_available,
            })
            .collect(),
    })
}

operation!(MyReviewOf, "graphql/my_review.graphql", ["ReviewStatus"]);

/// The signed-in customer's review of a product, if they wrote one.
pub async fn my_review(product_id: String) -> Result<Option<MyReview>, RequestError> {
    let answer = request::<MyReviewOf>(my_review_of::Variables { product_id }).await?;
    Ok(answer.my_review.map(|review| MyReview {
        rating: review.rating,
        title: review.title,
        body: review.body,
        status: review.status,
    }))
}

operation!(
    WriteReview,
    "graphql/write_review.graphql",
    ["ReviewStatus"]
);

/// Writes (or rewrites) the signed-in customer's review; answers where it stands.
pub async fn write_review(
    product_id: String,
    rating: i64,
    title: String,
    body: String,
) -> Result<ReviewStatus, RequestError> {
    let input = write_review::WriteReviewInput {
        product_id,
        rating,
        title,
        body,
    };
    Ok(request::<WriteReview>(write_review::Variables { input })
        .await?
        .write_review
        .status)
}

/// A part of the cart as the pages show it, from either operation's answer (the same
/// selection).
macro_rules! cart_part {
    ($part:expr) => {{
        let part = $part;
        CartPart {
            quote_id: part.quote.id,
            file_name: part.file_name,
            material: part.material,
            quantity: part.quantity,
            price_minor: part.price_minor,
            currency: part.currency,
            holds_until: when(&part.expires_at),
            makerspace: part.makerspace.map(|space| space.name),
        }
    }};
}

operation!(CartPage, "graphql/cart.graphql");

/// The caller's cart.
pub async fn cart() -> Result<Cart, RequestError> {
    let cart = request::<CartPage>(cart_page::Variables).await?.cart;
    Ok(Cart {
        lines: cart
            .lines
            .into_iter()
            .map(|line| CartLine {
                variant_id: line.variant.id,
                sku: line.variant.sku,
                product_slug: line.variant.product.slug,
                product_name: line.variant.product.name,
                variant_name: line.variant.name,
                quantity: line.quantity,
                held: line.held,
                available: line.variant.stock_available,
                unit_price_minor: line.unit_price_minor,
                line_total_minor: line.line_total_minor,
            })
            .collect(),
        parts: cart
            .parts
            .into_iter()
            .map(|part| cart_part!(part))
            .collect(),
        item_count: cart.item_count,
        subtotal_minor: cart.subtotal_minor,
        discount_minor: cart.discount_minor,
        currency: cart.currency,
        held_until: cart.held_until.as_deref().and_then(epoch_seconds),
        coupon: cart.coupon.map(|coupon| CartCoupon {
            code: coupon.code,
            description: coupon.description,
            problem: coupon.problem,
        }),
    })
}

operation!(CartCount, "graphql/cart_count.graphql");

/// How many units the caller's cart holds.
pub async fn cart_count() -> Result<i64, RequestError> {
    Ok(request::<CartCount>(cart_count::Variables)
        .await?
        .cart
        .item_count)
}

operation!(AddToCart, "graphql/add_to_cart.graphql");

/// Adds `quantity` units of a variant to the caller's cart; answers how many it holds now.
pub async fn add_to_cart(variant_id: String, quantity: i64) -> Result<i64, RequestError> {
    let input = add_to_cart::AddToCartInput {
        variant_id,
        quantity,
    };
    Ok(request::<AddToCart>(add_to_cart::Variables { input })
        .await?
        .add_to_cart
        .item_count)
}

operation!(AddPartToCart, "graphql/add_part_to_cart.graphql");

/// Puts a quoted part in the caller's cart, made by the makerspace named (none: whichever has
/// it ready first); again, it changes the makerspace. Answers how many units the cart holds.
pub async fn add_part_to_cart(
    quote_id: String,
    makerspace_id: Option<String>,
) -> Result<i64, RequestError> {
    let input = add_part_to_cart::AddPartToCartInput {
        quote_id,
        makerspace_id,
    };
    Ok(
        request::<AddPartToCart>(add_part_to_cart::Variables { input })
            .await?
            .add_part_to_cart
            .item_count,
    )
}

operation!(RemovePartFromCart, "graphql/remove_part_from_cart.graphql");

/// Takes a quoted part out of the caller's cart; answers how many units the cart holds now.
pub async fn remove_part_from_cart(quote_id: String) -> Result<i64, RequestError> {
    let input = remove_part_from_cart::RemovePartFromCartInput { quote_id };
    Ok(
        request::<RemovePartFromCart>(remove_part_from_cart::Variables { input })
            .await?
            .remove_part_from_cart
            .item_count,
    )
}

operation!(SetCartQuantity, "graphql/set_cart_quantity.graphql");

/// Sets how many units of a variant the caller's cart asks for; 0 takes the line out.
pub async fn set_quantity(variant_id: String, quantity: i64) -> Result<i64, RequestError> {
    let input = set_cart_quantity::SetCartQuantityInput {
        variant_id,
        quantity,
    };
    Ok(
        request::<SetCartQuantity>(set_cart_quantity::Variables { input })
            .await?
            .set_cart_quantity
            .item_count,
    )
}

operation!(ApplyCoupon, "graphql/apply_coupon.graphql");

/// Puts a coupon on the caller's cart.
pub async fn apply_coupon(code: String) -> Result<i64, RequestError> {
    let input = apply_coupon::ApplyCouponInput { code };
    Ok(request::<ApplyCoupon>(apply_coupon::Variables { input })
        .await?
        .apply_coupon
        .item_count)
}

operation!(RemoveCoupon, "graphql/remove_coupon.graphql");

/// Takes the coupon off the caller's cart.
pub async fn remove_coupon() -> Result<i64, RequestError> {
    Ok(request::<RemoveCoupon>(remove_coupon::Variables)
        .await?
        .remove_coupon
        .item_count)
}

operation!(
    CheckoutPage,
    "graphql/checkout.graphql",
    ["StockLocationKind"]
);

/// What checking out the caller's cart needs.
pub async fn checkout() -> Result<Checkout, RequestError> {
    let answer = request::<CheckoutPage>(checkout_page::Variables).await?;
    let mut spaces_run: Vec<(String, String)> = answer
        .me
        .memberships
        .into_iter()
        .filter(|membership| {
            !membership.suspended
                && !matches!(membership.role, checkout_page::MembershipRole::MEMBER)
        })
        .map(|membership| (membership.makerspace.id, membership.makerspace.name))
        .collect();
    spaces_run.sort_by(|a, b| a.1.cmp(&b.1));
    let cart = answer.cart;
    let shipping = answer
        .shipping_rates
        .into_iter()
        .find(|rate| Some(&rate.currency) == cart.currency.as_ref())
        .map(|rate| ShippingRate {
            price_minor: rate.price_minor,
            free_from_minor: rate.free_from_minor,
        });
    Ok(Checkout {
        parts: cart
            .parts
            .into_iter()
            .map(|part| cart_part!(part))
            .collect(),
        item_count: cart.item_count,
        subtotal_minor: cart.subtotal_minor,
        discount_minor: cart.discount_minor,
        currency: cart.currency,
        held_until: cart.held_until.as_deref().and_then(epoch_seconds),
        pickups: answer
            .stock_locations
            .into_iter()
            .filter(|location| location.kind == StockLocationKind::Makerspace)
            .map(|l| pickup!(l))
            .collect(),
        shipping,
        spaces_run,
    })
}

operation!(PlaceOrder, "graphql/place_order.graphql", ["Delivery"]);

/// Places the signed-in customer's cart as an order, for a makerspace's stock when
/// `for_makerspace_id` names one; answers its id.
pub async fn place_order(
    delivery: Delivery,
    pickup_location_id: Option<String>,
    address: Option<AddressForm>,
    for_makerspace_id: Option<String>,
) -> Result<String, RequestError> {
    let optional = |text: String| (!text.trim().is_empty()).then(|| text.trim().to_owned());
    let ship_to = address.map(|address| place_order::AddressInput {
        name: address.name.trim().to_owned(),
        line1: address.line1.trim().to_owned(),
        line2: optional(address.line2),
        city: address.city.trim().to_owned(),
        postal_code: address.postal_code.trim().to_owned(),
        region: optional(address.region).map(|region| region.to_uppercase()),
        country: address.country.trim().to_uppercase(),
    });
    let input = place_order::PlaceOrderInput {
        delivery,
        pickup_location_id,
        ship_to,
        for_makerspace_id,
    };
    Ok(request::<PlaceOrder>(place_order::Variables { input })
        .await?
        .place_order
        .id)
}

operation!(
    MyOrders,
    "graphql/my_orders.graphql",
    ["OrderStatus", "Delivery"]
);
operation!(Desk, "graphql/desk.graphql", ["OrderStatus", "Delivery"]);

/// Reads a page of orders, whichever list it came from.
macro_rules! orders_page {
    ($page:expr) => {{
        let page = $page;
        Orders {
            orders: page
                .nodes
                .into_iter()
                .map(|order| OrderRow {
                    total: money(order.total_minor, &order.currency),
                    placed: when(&order.placed_at),
                    id: order.id,
                    number: order.number,
                    status: order.status,
                    delivery: order.delivery,
                })
                .collect(),
            next: page
                .page_info
                .has_next_page
                .then_some(page.page_info.end_cursor)
                .flatten(),
        }
    }};
}

/// The signed-in customer's orders, newest first, from `after` on.
pub async fn my_orders(after: Option<String>) -> Result<Orders, RequestError> {
    let answer = request::<MyOrders>(my_orders::Variables { after }).await?;
    Ok(orders_page!(answer.my_orders))
}

/// Every customer's orders, newest first, in one status if given; store staff only.
pub async fn desk(
    status: Option<OrderStatus>,
    after: Option<String>,
) -> Result<Orders, RequestError> {
    let answer = request::<Desk>(desk::Variables { status, after }).await?;
    Ok(orders_page!(answer.orders))
}

operation!(MyRoles, "graphql/my_roles.graphql");

/// The store staff role of the API's tokens, and the platform's admin role, which includes it.
const STAFF_ROLES: [&str; 2] = ["store-staff", "admin"];

/// Whether the signed-in person runs the store: the desk is theirs to see.
pub async fn runs_the_store() -> Result<bool, RequestError> {
    let roles = request::<MyRoles>(my_roles::Variables).await?.me.roles;
    Ok(roles
        .iter()
        .any(|role| STAFF_ROLES.contains(&role.as_str())))
}

operation!(
    OrderPage,
    "graphql/order.graphql",
    [
        "OrderStatus",
        "Delivery",
        "PaymentProvider",
        "PaymentStatus",
        "FabricationJobStatus"
    ]
);

/// An order's page.
pub async fn order(id: String) -> Result<OrderDetails, RequestError> {
    let answer = request::<OrderPage>(order_page::Variables { id }).await?;
    let (order, options) = (answer.order, answer.payment_options);
    let currency = order.currency;
    let destination = match (order.pickup_location, order.ship_to) {
        (Some(pickup), _) => vec![pickup.name],
        (None, Some(to)) => [
            Some(to.name),
            Some(to.line1),
            to.line2,
            Some(format!("{} {}", to.postal_code, to.city)),
            Some(match to.region {
                Some(region) => format!("{region}, {}", to.country),
                None => to.country,
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
        (None, None) => Vec::new(),
    };
    Ok(OrderDetails {
        id: order.id,
        number: order.number,
        status: order.status,
        subtotal_minor: order.subtotal_minor,
        discount_minor: order.discount_minor,
        coupon_code: order.coupon_code,
        shipping_minor: order.shipping_minor,
        tax_minor: order.tax_minor,
        total_minor: order.total_minor,
        delivery: order.delivery,
        destination,
        lines: order
            .lines
            .into_iter()
            .map(|line| OrderLine {
                sku: line.sku,
                name: line.name,
                product_slug: line.variant.map(|variant| variant.product.slug),
                quantity: line.quantity,
                refunded_quantity: line.refunded_quantity,
                unit_price_minor: line.unit_price_minor,
                line_total_minor: line.line_total_minor,
            })
            .collect(),
        parts: order
            .parts
            .into_iter()
            .map(|part| OrderedPart {
                price: money(part.price_minor, &currency),
                id: part.id,
                file_name: part.file_name,
                material: part.material,
                colour: part.colour,
                quantity: part.quantity,
                refunded: part.refunded_at.is_some(),
                jobs: part
                    .fabrication_jobs
                    .into_iter()
                    .map(|job| PartJob {
                        ready_by: job.ready_by.as_deref().map(when),
                        id: job.id,
                        status: job.status,
                        reason: job.reason,
                        makerspace: job.makerspace.map(|space| space.name),
                    })
                    .collect(),
            })
            .collect(),
        payment_provider: order.payment_provider,
        pay_by: order.pay_by.as_deref().map(when),
        payments: order
            .payments
            .into_iter()
            .map(|payment| Payment {
                amount: money(payment.amount_minor, &payment.currency),
                id: payment.id,
                provider: payment.provider,
                status: payment.status,
                note: payment.note,
            })
            .collect(),
        refunds: order
            .refunds
            .into_iter()
            .map(|refund| Refund {
                amount: money(refund.amount_minor, &currency),
                given: when(&refund.created_at),
                id: refund.id,
                reason: refund.reason,
            })
            .collect(),
        next_statuses: order.next_statuses,
        cancellable: order.cancellable,
        placed: when(&order.placed_at),
        currency,
        cards: options
            .stripe_js_url
            .zip(options.stripe_publishable_key)
            .map(|(stripe_js_url, publishable_key)| CardPayments {
                stripe_js_url,
                publishable_key,
            }),
    })
}

operation!(
    StartPayment,
    "graphql/start_payment.graphql",
    ["PaymentProvider", "PaymentStatus"]
);

/// Starts paying for the caller's own order with `provider`; answers where the payment stands
/// and, for a card, the client secret Stripe.js confirms it with.
pub async fn start_payment(
    order_id: String,
    provider: PaymentProvider,
) -> Result<(PaymentStatus, Option<String>), RequestError> {
    let input = start_payment::StartPaymentInput { order_id, provider };
    let payment = request::<StartPayment>(start_payment::Variables { input })
        .await?
        .start_payment;
    Ok((payment.status, payment.client_secret))
}

operation!(CancelOrder, "graphql/cancel_order.graphql", ["OrderStatus"]);

/// Calls an order off.
pub async fn cancel_order(order_id: String) -> Result<OrderStatus, RequestError> {
    let input = cancel_order::CancelOrderInput { order_id };
    Ok(request::<CancelOrder>(cancel_order::Variables { input })
        .await?
        .cancel_order
        .status)
}

operation!(
    SetOrderStatus,
    "graphql/set_order_status.graphql",
    ["OrderStatus"]
);

/// Moves an order along its life; store staff only.
pub async fn set_status(
    order_id: String,
    status: OrderStatus,
) -> Result<OrderStatus, RequestError> {
    let input = set_order_status::SetOrderStatusInput { order_id, status };
    Ok(
        request::<SetOrderStatus>(set_order_status::Variables { input })
            .await?
            .set_order_status
            .status,
    )
}

operation!(
    ConfirmPayment,
    "graphql/confirm_payment.graphql",
    ["OrderStatus"]
);

/// Records that an order was paid by hand, with the receipt or invoice number if given.
pub async fn confirm_payment(
    order_id: String,
    reference: Option<String>,
) -> Result<OrderStatus, RequestError> {
    let input = confirm_payment::ConfirmPaymentInput {
        order_id,
        reference,
    };
    Ok(
        request::<ConfirmPayment>(confirm_payment::Variables { input })
            .await?
            .confirm_payment
            .status,
    )
}

operation!(
    /// An order's changes as they happen.
    feed OrderChanged,
    "graphql/order_changed.graphql",
    ["OrderStatus"]
);
resumable!(OrderChanged, order_changed);

operation!(
    /// A part's fabrication job as it moves along.
    feed FabricationJobChanged,
    "graphql/fabrication_job_changed.graphql",
    ["FabricationJobStatus"]
);
resumable!(FabricationJobChanged, fabrication_job_changed);

operation!(ReviewsToModerate, "graphql/reviews_to_moderate.graphql");

/// Reviews waiting for store staff, oldest first; store staff only.
pub async fn reviews_to_moderate() -> Result<Vec<PendingReview>, RequestError> {
    let answer = request::<ReviewsToModerate>(reviews_to_moderate::Variables).await?;
    Ok(answer
        .reviews_to_moderate
        .nodes
        .into_iter()
        .map(|review| PendingReview {
            id: review.id.clone(),
            product: review.product.map(|product| (product.name, product.slug)),
            review: Review {
                written: when(&review.created_at),
                id: review.id,
                author: review.author_name,
                rating: review.rating,
                title: review.title,
                body: review.body,
                verified_purchase: review.verified_purchase,
            },
        })
        .collect())
}

operation!(
    ModerateReview,
    "graphql/moderate_review.graphql",
    ["ReviewStatus"]
);

/// Shows a review on its product (`Approved`) or keeps it off (`Rejected`); store staff only.
pub async fn moderate_review(
    review_id: String,
    status: ReviewStatus,
) -> Result<ReviewStatus, RequestError> {
    let input = moderate_review::ModerateReviewInput { review_id, status };
    Ok(
        request::<ModerateReview>(moderate_review::Variables { input })
            .await?
            .moderate_review
            .status,
    )
}

operation!(DeskCatalog, "graphql/desk_catalog.graphql");

/// A page of every product, published or not, with its stock by location; store staff only.
pub async fn desk_catalog(after: Option<String>) -> Result<KeptCatalog, RequestError> {
    let answer = request::<DeskCatalog>(desk_catalog::Variables { after }).await?;
    let page = answer.products;
    Ok(KeptCatalog {
        products: page
            .nodes
            .into_iter()
            .map(|product| KeptProduct {
                id: product.id,
                slug: product.slug,
                name: product.name,
                published: product.published,
                images: product.images.into_iter().map(|i| image!(i)).collect(),
                variants: product
                    .variants
                    .into_iter()
                    .map(|v| stocked_variant!(v))
                    .collect(),
            })
            .collect(),
        locations: answer
            .stock_locations
            .into_iter()
            .map(|l| pickup!(l))
            .collect(),
        next: page
            .page_info
            .has_next_page
            .then_some(page.page_info.end_cursor)
            .flatten(),
    })
}

operation!(SetStock, "graphql/set_stock.graphql");

/// Sets how many units of a variant are on hand at a location; store staff only.
pub async fn set_stock(
    variant_id: String,
    location_id: String,
    on_hand: i64,
) -> Result<i64, RequestError> {
    let input = set_stock::SetStockInput {
        variant_id,
        location_id,
        on_hand,
    };
    Ok(request::<SetStock>(set_stock::Variables { input })
        .await?
        .set_stock
        .stock_available)
}

operation!(CreateImageUpload, "graphql/create_image_upload.graphql");
operation!(ConfirmImage, "graphql/confirm_image.graphql");

/// Adds `file` to a product's pictures: an upload URL from the store, the file sent straight to
/// object storage (`on_progress` told as it goes), then the store's check of it.
pub async fn add_picture(
    product_id: String,
    file: web_sys::File,
    alt: String,
    on_progress: yew::Callback<Progress>,
) -> Result<(), String> {
    let said = |error: RequestError| crate::components::refusal(&error);
    let input = create_image_upload::CreateProductImageUploadInput {
        product_id,
        content_type: file.type_(),
        size_bytes: file.size() as i64,
        alt,
    };
    let upload = request::<CreateImageUpload>(create_image_upload::Variables { input })
        .await
        .map_err(said)?
        .create_product_image_upload;
    put_file(&upload.upload_url, &file, &file.type_(), on_progress).await?;
    let input = confirm_image::ConfirmProductImageInput {
        image_id: upload.image_id,
    };
    request::<ConfirmImage>(confirm_image::Variables { input })
        .await
        .map_err(said)?;
    Ok(())
}

operation!(Categories, "graphql/categories.graphql");

/// The categories a product may be listed in, each under its parent.
pub async fn categories() -> Result<Vec<CategoryChoice>, RequestError> {
    let answer = request::<Categories>(categories::Variables).await?;
    Ok(category_choices!(answer.categories))
}

operation!(DeskProduct, "graphql/desk_product.graphql");

/// A product as the desk's editor shows it, published or not; store staff only.
pub async fn desk_product(id: String) -> Result<EditedProduct, RequestError> {
    let answer = request::<DeskProduct>(desk_product::Variables { id }).await?;
    let product = answer.product;
    let draft = ProductDraft {
        name: product.name.clone(),
        slug: product.slug.clone(),
        description: product.description,
        category_id: product
            .category
            .map(|category| category.id)
            .unwrap_or_default(),
        tax_class: product.tax_class,
        attributes: pairs_text(
            &product
                .attributes
                .into_iter()
                .map(|attribute| (attribute.name, attribute.value))
                .collect::<Vec<_>>(),
        ),
        published: product.published,
    };
    let variants = product
        .variants
        .iter()
        .map(|variant| EditedVariant {
            id: variant.id.clone(),
            draft: VariantDraft::of(
                &variant.sku,
                &variant.name,
                &variant
                    .options
                    .iter()
                    .map(|option| (option.name.clone(), option.value.clone()))
                    .collect::<Vec<_>>(),
                variant.price_minor,
                &variant.currency,
            ),
        })
        .collect();
    Ok(EditedProduct {
        draft,
        variants,
        kept: KeptProduct {
            id: product.id,
            slug: product.slug,
            name: product.name,
            published: product.published,
            images: product.images.into_iter().map(|i| image!(i)).collect(),
            variants: product
                .variants
                .into_iter()
                .map(|v| stocked_variant!(v))
                .collect(),
        },
        locations: answer
            .stock_locations
            .into_iter()
            .map(|l| pickup!(l))
            .collect(),
        categories: category_choices!(answer.categories),
    })
}

/// A refusal of the form's own, as the API would word it: `field` is not right.
fn invalid(field: &str, message: String) -> RequestError {
    RequestError::Api(vec![ApiError {
        message: format!("{field} {message}"),
        code: Some("VALIDATION_ERROR".to_owned()),
        details: vec![FieldError {
            field: field.to_owned(),
            message,
        }],
    }])
}

/// A product draft's attributes as the API takes them, or the form's refusal.
macro_rules! attribute_inputs {
    ($module:ident, $field:expr, $text:expr) => {
        pairs($text)
            .map_err(|message| invalid($field, message))?
            .into_iter()
            .map(|(name, value)| $module::AttributeInput { name, value })
            .collect::<Vec<_>>()
    };
}

/// A variant draft as the API takes it, `field` naming it in refusals (`variants.0`), at
/// `position` among the product's variants.
macro_rules! variant_input {
    ($module:ident, $field:expr, $draft:expr, $position:expr) => {{
        let (field, draft) = ($field, $draft);
        $module::VariantInput {
            price_minor: draft
                .price_minor()
                .map_err(|message| invalid(&format!("{field}.priceMinor"), message))?,
            options: attribute_inputs!($module, &format!("{field}.options"), &draft.options),
            sku: draft.sku,
            name: draft.name,
            currency: draft.currency,
            position: $position,
        }
    }};
}

operation!(CreateProduct, "graphql/create_product.graphql");

/// Adds a product with its first variant; its id. Store staff only.
pub async fn create_product(
    product: ProductDraft,
    variant: VariantDraft,
) -> Result<String, RequestError> {
    let input = create_product::CreateProductInput {
        attributes: attribute_inputs!(create_product, "attributes", &product.attributes),
        variants: vec![variant_input!(create_product, "variants.0", variant, 0)],
        name: product.name,
        slug: (!product.slug.trim().is_empty()).then_some(product.slug),
        description: product.description,
        category_id: (!product.category_id.is_empty()).then_some(product.category_id),
        tax_class: Some(product.tax_class),
        published: product.published,
    };
    Ok(
        request::<CreateProduct>(create_product::Variables { input })
            .await?
            .create_product
            .id,
    )
}

operation!(UpdateProduct, "graphql/update_product.graphql");

/// Saves a product's details as the form has them; store staff only.
pub async fn update_product(id: String, product: ProductDraft) -> Result<(), RequestError> {
    let input = update_product::UpdateProductInput {
        attributes: Some(attribute_inputs!(
            update_product,
            "attributes",
            &product.attributes
        )),
        id,
        name: Some(product.name),
        slug: Some(product.slug),
        description: Some(product.description),
        category_id: (!product.category_id.is_empty()).then_some(product.category_id),
        tax_class: Some(product.tax_class),
        published: Some(product.published),
    };
    request::<UpdateProduct>(update_product::Variables { input }).await?;
    Ok(())
}

operation!(AddProductVariant, "graphql/add_product_variant.graphql");

/// Adds a variant to a product, at `position` (after its others); store staff only.
pub async fn add_variant(
    product_id: String,
    variant: VariantDraft,
    position: i64,
) -> Result<(), RequestError> {
    let input = add_product_variant::AddProductVariantInput {
        product_id,
        variant: variant_input!(add_product_variant, "variant", variant, position),
    };
    request::<AddProductVariant>(add_product_variant::Variables { input }).await?;
    Ok(())
}

operation!(
    UpdateProductVariant,
    "graphql/update_product_variant.graphql"
);

/// Saves a variant's name, options and price; its SKU and currency stay. Store staff only.
pub async fn update_variant(id: String, variant: VariantDraft) -> Result<(), RequestError> {
    let input = update_product_variant::UpdateProductVariantInput {
        price_minor: Some(
            variant
                .price_minor()
                .map_err(|message| invalid("priceMinor", message))?,
        ),
        options: Some(attribute_inputs!(
            update_product_variant,
            "options",
            &variant.options
        )),
        id,
        name: Some(variant.name),
        position: None,
    };
    request::<UpdateProductVariant>(update_product_variant::Variables { input }).await?;
    Ok(())
}

operation!(CreateCategory, "graphql/create_category.graphql");

/// Adds a category, at the top or under `parent_id`; its id. Store staff only.
pub async fn create_category(
    name: String,
    parent_id: Option<String>,
) -> Result<String, RequestError> {
    let input = create_category::CreateCategoryInput {
        name,
        slug: None,
        parent_id,
        position: 0,
    };
    Ok(
        request::<CreateCategory>(create_category::Variables { input })
            .await?
            .create_category
            .id,
    )
}

operation!(
    FabricationMaterials,
    "graphql/fabrication_materials.graphql",
    ["PrintProcess"]
);

/// The materials parts can be printed in, as the price list names them.
pub async fn fabrication_materials() -> Result<Vec<Material>, RequestError> {
    let answer = request::<FabricationMaterials>(fabrication_materials::Variables).await?;
    Ok(answer
        .fabrication_materials
        .into_iter()
        .map(|material| Material {
            price_per_kg: money(material.price_per_kg_minor, &material.currency),
            code: material.code,
            name: material.name,
            process: material.process,
        })
        .collect())
}

/// A part's quote as the page shows it, from either operation's answer (the same selection).
macro_rules! part_quote {
    ($quote:expr) => {{
        let quote = $quote;
        PartQuote {
            id: quote.id,
            status: quote.status,
            material: quote.material,
            colour: quote.colour,
            infill_percent: quote.infill_percent,
            quantity: quote.quantity,
            measures: quote.measures.map(|measures| PartMeasures {
                triangles: measures.triangles,
                volume_mm3: measures.volume_mm3,
                size_mm: measures.bbox_mm,
                watertight: measures.watertight,
                shells: measures.shells,
            }),
            misfits: quote
                .misfits
                .into_iter()
                .map(|misfit| Misfit {
                    machine: misfit.machine,
                    reason: misfit.reason,
                })
                .collect(),
            print: quote.print.map(|print| PrintPlan {
                machine: print.machine,
                process: print.process,
                print_seconds: print.print_seconds,
                material_grams: print.material_grams,
                sliced: print.source == "slicer",
                fallback_reason: print.fallback_reason,
            }),
            price: quote.price.map(|price| QuotePrice {
                currency: price.currency,
                material_per_part_minor: price.material_per_part_minor,
                machine_per_part_minor: price.machine_per_part_minor,
                quantity: price.quantity,
                production_minor: price.production_minor,
                quantity_discount_minor: price.quantity_discount_minor,
                markup_minor: price.markup_minor,
                setup_fee_minor: price.setup_fee_minor,
                total_minor: price.total_minor,
                unit_price_minor: price.unit_price_minor,
            }),
            warnings: quote.warnings,
            failure: quote.failure,
            valid_until: quote.expires_at.as_deref().map(when),
            expired: quote.expired,
            offers: quote
                .offers
                .into_iter()
                .map(|offer| Offer {
                    makerspace_id: offer.makerspace.id,
                    makerspace: offer.makerspace.name,
                    ready_by: when(&offer.ready_by),
                    lead_time_hours: offer.lead_time_hours,
                    accepts_automatically: offer.accepts_automatically,
                })
                .collect(),
        }
    }};
}

operation!(CreateUpload, "graphql/create_upload.graphql");
operation!(
    QuoteUpload,
    "graphql/quote_upload.graphql",
    ["QuoteStatus", "PrintProcess"]
);

/// The type a part's file is declared and sent as, whatever the browser makes of `.stl`.
const STL: &str = "model/stl";

/// The infill and the quantity as typed, read as the API takes them, or the form's refusal.
pub fn quote_numbers(choices: &PartChoices) -> Result<(i64, i64), RequestError> {
    let whole = |field: &str, text: &str, range: std::ops::RangeInclusive<i64>, message: &str| {
        text.trim()
            .parse()
            .ok()
            .filter(|number| range.contains(number))
            .ok_or_else(|| invalid(field, message.to_owned()))
    };
    Ok((
        whole(
            "infillPercent",
            &choices.infill,
            0..=100,
            "must be a whole number from 0 to 100",
        )?,
        whole(
            "quantity",
            &choices.quantity,
            1..=10_000,
            "must be a whole number from 1 to 10,000",
        )?,
    ))
}

/// Quotes a part: an upload URL from the store, the file sent straight to object storage as an
/// STL (`on_progress` told as it goes), then the store's quote of it, which may still be on its
/// way (`QUEUED`).
pub async fn quote_part(
    file: web_sys::File,
    choices: PartChoices,
    on_progress: yew::Callback<Progress>,
) -> Result<PartQuote, RequestError> {
    let (infill_percent, quantity) = quote_numbers(&choices)?;
    let input = create_upload::CreateUploadInput {
        file_name: file.name(),
        size_bytes: file.size() as i64,
        content_type: STL.to_owned(),
    };
    let upload = request::<CreateUpload>(create_upload::Variables { input })
        .await?
        .create_upload;
    put_file(&upload.upload_url, &file, STL, on_progress)
        .await
        .map_err(|reason| {
            RequestError::Api(vec![ApiError {
                message: reason,
                code: None,
                details: Vec::new(),
            }])
        })?;
    let colour = choices.colour.trim().to_owned();
    let input = quote_upload::QuoteUploadInput {
        upload_id: upload.id,
        material: choices.material,
        colour: (!colour.is_empty()).then_some(colour),
        infill_percent,
        quantity,
    };
    let answer = request::<QuoteUpload>(quote_upload::Variables { input }).await?;
    Ok(part_quote!(answer.quote_upload))
}

operation!(
    FabricationQuote,
    "graphql/fabrication_quote.graphql",
    ["QuoteStatus", "PrintProcess"]
);

/// One of the customer's quotes, as it stands.
pub async fn fabrication_quote(id: String) -> Result<PartQuote, RequestError> {
    let answer = request::<FabricationQuote>(fabrication_quote::Variables { id }).await?;
    Ok(part_quote!(answer.fabrication_quote))
}

operation!(
    /// A part's quote as it is made.
    feed FabricationQuoteChanged,
    "graphql/fabrication_quote_changed.graphql",
    ["QuoteStatus"]
);
resumable!(FabricationQuoteChanged, fabrication_quote_changed);

operation!(MyUploads, "graphql/my_uploads.graphql", ["QuoteStatus"]);

/// The customer's parts, newest first, each with its quotes, a page at a time.
pub async fn my_parts(after: Option<String>) -> Result<Parts, RequestError> {
    let page = request::<MyUploads>(my_uploads::Variables { after })
        .await?
        .my_uploads;
    Ok(Parts {
        parts: page
            .nodes
            .into_iter()
            .map(|part| PartRow {
                id: part.id,
                file_name: part.file_name,
                size_bytes: part.size_bytes,
                uploaded: when(&part.created_at),
                quotes: part
                    .quotes
                    .into_iter()
                    .map(|quote| QuoteRow {
                        id: quote.id,
                        status: quote.status,
                        material: quote.material,
                        quantity: quote.quantity,
                        total: quote
                            .price
                            .map(|price| money(price.total_minor, &price.currency)),
                        valid_until: quote.expires_at.as_deref().map(when),
                        expired: quote.expired,
                    })
                    .collect(),
            })
            .collect(),
        next: page
            .page_info
            .has_next_page
            .then_some(page.page_info.end_cursor)
            .flatten(),
    })
}

operation!(DeleteUpload, "graphql/delete_upload.graphql");

/// Deletes one of the customer's parts, its file and its quotes.
pub async fn delete_part(upload_id: String) -> Result<(), RequestError> {
    let input = delete_upload::DeleteUploadInput { upload_id };
    request::<DeleteUpload>(delete_upload::Variables { input }).await?;
    Ok(())
}
