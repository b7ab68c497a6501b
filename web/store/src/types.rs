//! What the store's pages show, as plain data: the services read the API's answers into these,
//! and the components draw them.

use serde::{Deserialize, Serialize};

/// Where an order stands (the API's `OrderStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Fulfilling,
    Shipped,
    ReadyForPickup,
    Delivered,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    /// Every status, in the order of an order's life: the desk's filter lists them so.
    pub const ALL: [Self; 8] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Fulfilling,
        Self::Shipped,
        Self::ReadyForPickup,
        Self::Delivered,
        Self::Cancelled,
        Self::Refunded,
    ];

    /// The status in words for the customer.
    pub fn label(self) -> &'static str {
        match self {
            Self::PendingPayment => "Waiting for payment",
            Self::Paid => "Paid",
            Self::Fulfilling => "Being prepared",
            Self::Shipped => "Shipped",
            Self::ReadyForPickup => "Ready for pickup",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
            Self::Refunded => "Refunded",
        }
    }

    /// What store staff press to move an order to this status.
    pub fn action(self) -> &'static str {
        match self {
            Self::PendingPayment => "Back to waiting for payment",
            Self::Paid => "Mark paid",
            Self::Fulfilling => "Start packing",
            Self::Shipped => "Mark shipped",
            Self::ReadyForPickup => "Mark ready for pickup",
            Self::Delivered => "Mark delivered",
            Self::Cancelled => "Cancel order",
            Self::Refunded => "Refund in full",
        }
    }

    /// The status's name in the desk's address (`pending_payment`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Fulfilling => "fulfilling",
            Self::Shipped => "shipped",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// The status a desk address names.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.slug() == slug)
    }

    /// The CSS modifier that colours its badge: done, stopped, or still under way.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Delivered => "order-status--done",
            Self::Cancelled | Self::Refunded => "order-status--stopped",
            Self::PendingPayment => "order-status--waiting",
            _ => "order-status--moving",
        }
    }
}

/// How an order reaches the customer (the API's `Delivery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Delivery {
    Shipping,
    Pickup,
}

/// Who takes the money (the API's `PaymentProvider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentProvider {
    Manual,
    Stripe,
}

/// Where a payment stands (the API's `PaymentStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentStatus {
    Started,
    Succeeded,
    Failed,
    Refunded,
}

impl PaymentStatus {
    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Started => "waiting for the money",
            Self::Succeeded => "paid",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
        }
    }
}

/// Where a review stands (the API's `ReviewStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewStatus {
    Pending,
    Approved,
    Rejected,
}

/// What kind of place a stock location is (the API's `StockLocationKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StockLocationKind {
    Warehouse,
    Makerspace,
}

/// How the catalog is ordered (the API's `ProductSort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProductSort {
    #[default]
    Relevance,
    Newest,
    PriceLowToHigh,
    PriceHighToLow,
    Name,
}

impl ProductSort {
    /// Every order the catalog offers, as its menu lists them.
    pub const ALL: [Self; 5] = [
        Self::Relevance,
        Self::Newest,
        Self::PriceLowToHigh,
        Self::PriceHighToLow,
        Self::Name,
    ];

    /// The order in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Best match",
            Self::Newest => "Newest",
            Self::PriceLowToHigh => "Price: low to high",
            Self::PriceHighToLow => "Price: high to low",
            Self::Name => "Name",
        }
    }

    /// Its name in the catalog's address (`price-low`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::PriceLowToHigh => "price-low",
            Self::PriceHighToLow => "price-high",
            Self::Name => "name",
        }
    }

    /// The order an address names; the default for anything else.
    pub fn from_slug(slug: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|sort| sort.slug() == slug)
            .unwrap_or_default()
    }
}

/// A category to filter the catalog by, with how deep it sits (0 at the top).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryChoice {
    pub id: String,
    pub name: String,
    pub depth: usize,
}

/// What approved reviews make of a product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating {
    /// Their average, while there is any.
    pub average: Option<f64>,
    pub count: i64,
}

/// A product in the catalog's grid.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub category: Option<String>,
    /// Its price, or the range of its variants' prices, in words (`₹1,299.00 – ₹1,499.00`).
    pub price: Option<String>,
    pub in_stock: bool,
    pub rating: Rating,
    /// Its first picture, when it has one.
    pub image: Option<Image>,
}

/// A picture: where to fetch it and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub url: String,
    pub alt: String,
}

/// A page of the catalog: the categories to filter by and the products found.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub categories: Vec<CategoryChoice>,
    pub products: Vec<ProductCard>,
    /// What else to filter by: each attribute's name and the values it takes.
    pub attributes: Vec<(String, Vec<String>)>,
    /// How many products the search finds in all.
    pub total: i64,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// One way to buy a product.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    pub options: Vec<(String, String)>,
    /// How many can be had now.
    pub available: i64,
}

/// An approved review, as a product's page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: String,
    pub author: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub verified_purchase: bool,
    /// When it was written, in words.
    pub written: String,
}

/// A product's page.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDetails {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Its category and those above it, from the top.
    pub trail: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub images: Vec<Image>,
    pub rating: Rating,
    pub reviews: Vec<Review>,
    pub variants: Vec<Variant>,
}

/// A variant's units at one location, as store staff keep them.
#[derive(Debug, Clone, PartialEq)]
pub struct StockAt {
    pub location_id: String,
    pub on_hand: i64,
    pub allocated: i64,
}

/// A variant as store staff keep its stock.
#[derive(Debug, Clone, PartialEq)]
pub struct StockedVariant {
    pub id: String,
    pub sku: String,
    pub name: String,
    /// How many can be had now.
    pub available: i64,
    /// Its stock at each location that holds any.
    pub stock: Vec<StockAt>,
}

/// A product as store staff keep it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptProduct {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub published: bool,
    pub images: Vec<Image>,
    pub variants: Vec<StockedVariant>,
}

/// A page of the catalog as store staff keep it, and the places stock is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptCatalog {
    pub products: Vec<KeptProduct>,
    pub locations: Vec<Pickup>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// A variant in the desk's editor: its id and its form.
#[derive(Debug, Clone, PartialEq)]
pub struct EditedVariant {
    pub id: String,
    pub draft: crate::drafts::VariantDraft,
}

/// A product as the desk's editor shows it: its details and variants as forms, its pictures
/// and stock as the catalog page keeps them, and what to choose from.
#[derive(Debug, Clone, PartialEq)]
pub struct EditedProduct {
    pub draft: crate::drafts::ProductDraft,
    pub variants: Vec<EditedVariant>,
    pub kept: KeptProduct,
    pub locations: Vec<Pickup>,
    pub categories: Vec<CategoryChoice>,
}

/// A review waiting for store staff.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingReview {
    pub id: String,
    /// The product's name and address, while it is sold.
    pub product: Option<(String, String)>,
    pub review: Review,
}

/// The signed-in customer's own review of a product.
#[derive(Debug, Clone, PartialEq)]
pub struct MyReview {
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub status: ReviewStatus,
}

/// A line of the cart.
#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    pub variant_id: String,
    pub sku: String,
    pub product_slug: String,
    pub product_name: String,
    pub variant_name: String,
    pub quantity: i64,
    /// Whether its units are held for this cart now.
    pub held: bool,
    /// How many can be had now, beyond what this cart holds.
    pub available: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

/// The coupon on a cart.
#[derive(Debug, Clone, PartialEq)]
pub struct CartCoupon {
    pub code: String,
    pub description: String,
    /// Why it does not apply now.
    pub problem: Option<String>,
}

/// A quoted part in the cart, priced as quoted.
#[derive(Debug, Clone, PartialEq)]
pub struct CartPart {
    /// Its quote's API id.
    pub quote_id: String,
    pub file_name: String,
    pub material: String,
    pub quantity: i64,
    /// For every copy.
    pub price_minor: i64,
    pub currency: String,
    /// Until when its price holds, in words.
    pub holds_until: String,
    /// The makerspace chosen to make it; none: whichever has it ready first.
    pub makerspace: Option<String>,
}

/// The cart.
#[derive(Debug, Clone, PartialEq)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub parts: Vec<CartPart>,
    pub item_count: i64,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    /// None while it is empty.
    pub currency: Option<String>,
    /// When its first hold lapses, in seconds since the epoch.
    pub held_until: Option<i64>,
    pub coupon: Option<CartCoupon>,
}

impl Cart {
    /// Neither goods nor parts.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.parts.is_empty()
    }
}

/// What shipping costs in the cart's currency.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingRate {
    pub price_minor: i64,
    /// Goods, less the coupon, from which shipping is free.
    pub free_from_minor: Option<i64>,
}

/// A place to pick an order up.
#[derive(Debug, Clone, PartialEq)]
pub struct Pickup {
    pub id: String,
    pub name: String,
}

/// What the checkout page shows and asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkout {
    pub item_count: i64,
    pub parts: Vec<CartPart>,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub currency: Option<String>,
    pub held_until: Option<i64>,
    pub pickups: Vec<Pickup>,
    /// None when orders in the cart's currency cannot be shipped.
    pub shipping: Option<ShippingRate>,
    /// The makerspaces the customer is on the staff of (API id, name), by name: an order may be
    /// bought for one, whose stock receives it once delivered.
    pub spaces_run: Vec<(String, String)>,
}

/// Where to send an order, as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AddressForm {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postal_code: String,
    pub region: String,
    pub country: String,
}

/// An order in a list of orders.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    /// Its total in words.
    pub total: String,
    pub delivery: Delivery,
    /// When it was placed, in words.
    pub placed: String,
}

/// A page of orders.
#[derive(Debug, Clone, PartialEq)]
pub struct Orders {
    pub orders: Vec<OrderRow>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub sku: String,
    pub name: String,
    /// The product's address, while it is still sold.
    pub product_slug: Option<String>,
    pub quantity: i64,
    pub refunded_quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

/// An attempt to pay for an order.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: String,
    pub provider: PaymentProvider,
    pub status: PaymentStatus,
    pub amount: String,
    pub note: Option<String>,
}

/// Money given back for some of an order's lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub id: String,
    pub amount: String,
    pub reason: String,
    pub given: String,
}

/// Where a part's fabrication job stands (the API's `FabricationJobStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FabricationJobStatus {
    Dispatched,
    Accepted,
    Printing,
    PostProcessing,
    Ready,
    Shipped,
    Delivered,
    Declined,
    Cancelled,
}

impl FabricationJobStatus {
    /// Whether the job changes no more: the part was handed over, called off or declined.
    pub fn settled(self) -> bool {
        matches!(self, Self::Delivered | Self::Cancelled | Self::Declined)
    }

    /// Whether the space is still to finish it, so its ready-by still means something.
    pub fn in_the_making(self) -> bool {
        matches!(
            self,
            Self::Dispatched | Self::Accepted | Self::Printing | Self::PostProcessing
        )
    }

    /// The CSS modifier that colours its badge, as an order's.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Dispatched => "order-status--waiting",
            Self::Accepted | Self::Printing | Self::PostProcessing | Self::Shipped => {
                "order-status--moving"
            }
            Self::Ready | Self::Delivered => "order-status--done",
            Self::Declined | Self::Cancelled => "order-status--stopped",
        }
    }
}

/// A makerspace's job making an ordered part.
#[derive(Debug, Clone, PartialEq)]
pub struct PartJob {
    pub id: String,
    pub status: FabricationJobStatus,
    /// Why the space declined it.
    pub reason: Option<String>,
    /// When the space would have it ready, in the customer's local time, in words.
    pub ready_by: Option<String>,
    /// The space's name; none when no space could make it.
    pub makerspace: Option<String>,
}

/// A printed part of an order, as ordered, with the jobs making it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedPart {
    pub id: String,
    pub file_name: String,
    pub material: String,
    pub colour: Option<String>,
    pub quantity: i64,
    /// Its price for every copy, in words.
    pub price: String,
    /// Whether its price was given back, as no makerspace would make it.
    pub refunded: bool,
    /// Oldest first: a declined one is followed by the next space's; the last one stands.
    pub jobs: Vec<PartJob>,
}

impl OrderedPart {
    /// The job whose changes matter still: the last one, while it may move.
    pub fn followed_job(&self) -> Option<&str> {
        self.jobs
            .last()
            .filter(|job| !job.status.settled())
            .map(|job| job.id.as_str())
    }
}

/// An order's page.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderDetails {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub coupon_code: Option<String>,
    pub shipping_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub delivery: Delivery,
    /// Where it is collected, or the lines of the address it goes to.
    pub destination: Vec<String>,
    pub lines: Vec<OrderLine>,
    /// The parts printed for it by makerspaces.
    pub parts: Vec<OrderedPart>,
    pub payment_provider: PaymentProvider,
    /// Until when a card payment may come, in words.
    pub pay_by: Option<String>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
    /// Where store staff may move it now; empty for anyone else.
    pub next_statuses: Vec<OrderStatus>,
    /// Whether the person looking may call it off.
    pub cancellable: bool,
    pub placed: String,
    /// What Stripe.js needs on the page, when the store takes cards.
    pub cards: Option<CardPayments>,
}

impl OrderDetails {
    /// Whether a paid part has no job yet: MakrCave dispatches parts shortly after the store
    /// announces them paid, and only the order tells the first job's id.
    pub fn awaiting_dispatch(&self) -> bool {
        !matches!(
            self.status,
            OrderStatus::PendingPayment | OrderStatus::Cancelled | OrderStatus::Refunded
        ) && self
            .parts
            .iter()
            .any(|part| part.jobs.is_empty() && !part.refunded)
    }
}

/// What the customer's page needs to take a card: Stripe.js, from where, with which key.
#[derive(Debug, Clone, PartialEq)]
pub struct CardPayments {
    pub stripe_js_url: String,
    pub publishable_key: String,
}

/// Where a part's quote stands (the API's `QuoteStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuoteStatus {
    Queued,
    Quoting,
    Ready,
    TooBig,
    Failed,
}

impl QuoteStatus {
    /// The status in words for the customer.
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Waiting to be quoted",
            Self::Quoting => "Being quoted",
            Self::Ready => "Quoted",
            Self::TooBig => "Too big to print",
            Self::Failed => "Could not be quoted",
        }
    }

    /// Whether the quote is made, one way or the other: it changes no more.
    pub fn settled(self) -> bool {
        !matches!(self, Self::Queued | Self::Quoting)
    }

    /// The CSS modifier that colours its badge, as an order's.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Ready => "order-status--done",
            Self::TooBig | Self::Failed => "order-status--stopped",
            Self::Queued | Self::Quoting => "order-status--moving",
        }
    }
}

/// How a part is printed (the API's `PrintProcess`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrintProcess {
    Fdm,
    Resin,
}

impl PrintProcess {
    /// The process in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fdm => "FDM",
            Self::Resin => "resin",
        }
    }
}

/// A material parts can be printed in.
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    /// What a quote asks for: `PLA`.
    pub code: String,
    pub name: String,
    pub process: PrintProcess,
    /// Its price per kilogram, in words.
    pub price_per_kg: String,
}

/// What a customer asks a part's quote for, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct PartChoices {
    /// A material's code.
    pub material: String,
    /// Empty leaves it to the makerspace.
    pub colour: String,
    pub infill: String,
    pub quantity: String,
}

/// A part's quote.
#[derive(Debug, Clone, PartialEq)]
pub struct PartQuote {
    pub id: String,
    pub status: QuoteStatus,
    pub material: String,
    pub colour: Option<String>,
    pub infill_percent: i64,
    pub quantity: i64,
    /// Once measured (`READY` and `TOO_BIG`).
    pub measures: Option<PartMeasures>,
    /// The machines it fits none of, and why (`TOO_BIG`).
    pub misfits: Vec<Misfit>,
    pub print: Option<PrintPlan>,
    pub price: Option<QuotePrice>,
    pub warnings: Vec<String>,
    /// Why it could not be quoted (`FAILED`).
    pub failure: Option<String>,
    /// Until when its price is honoured, in words.
    pub valid_until: Option<String>,
    pub expired: bool,
    /// The makerspaces that can make it, earliest ready first.
    pub offers: Vec<Offer>,
}

/// A part's measures, as the quoting engine found them in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct PartMeasures {
    pub triangles: i64,
    pub volume_mm3: f64,
    /// Width, depth and height, mm.
    pub size_mm: Vec<f64>,
    /// Every edge is shared by two triangles: the volume is exact.
    pub watertight: bool,
    /// Separate pieces in the file.
    pub shells: i64,
}

/// A machine a part does not fit, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    pub machine: String,
    pub reason: String,
}

/// How one copy of a part is printed.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintPlan {
    pub machine: String,
    pub process: PrintProcess,
    pub print_seconds: i64,
    pub material_grams: f64,
    /// The slicer's figures; the estimate's otherwise.
    pub sliced: bool,
    /// Why the estimate stands in for the slicer, when it does.
    pub fallback_reason: Option<String>,
}

/// What a part costs, line by line, in the currency's minor unit.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotePrice {
    pub currency: String,
    pub material_per_part_minor: i64,
    pub machine_per_part_minor: i64,
    pub quantity: i64,
    /// Material and machine for every copy.
    pub production_minor: i64,
    pub quantity_discount_minor: i64,
    pub markup_minor: i64,
    /// Charged once per quote.
    pub setup_fee_minor: i64,
    /// Taxes not included.
    pub total_minor: i64,
    pub unit_price_minor: i64,
}

/// A makerspace that can make a part, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The makerspace's API id.
    pub makerspace_id: String,
    pub makerspace: String,
    /// When the part would be ready there, in words.
    pub ready_by: String,
    pub lead_time_hours: i64,
    /// It takes the job at once; its staff accept each otherwise.
    pub accepts_automatically: bool,
}

/// A part the customer uploaded, with its quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct PartRow {
    pub id: String,
    pub file_name: String,
    pub size_bytes: i64,
    /// When it was uploaded, in words.
    pub uploaded: String,
    /// Newest first.
    pub quotes: Vec<QuoteRow>,
}

/// A quote in the list of the customer's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteRow {
    pub id: String,
    pub status: QuoteStatus,
    pub material: String,
    pub quantity: i64,
    /// Its total in words, once priced.
    pub total: Option<String>,
    pub valid_until: Option<String>,
    pub expired: bool,
}

/// A page of the customer's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    pub parts: Vec<PartRow>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}
