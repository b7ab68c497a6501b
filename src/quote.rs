//! `makrx quote PART.stl`: an instant fabrication quote for a part, from the command line.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use makrx_quoting::{
    Limits, PriceList, PrintSettings, Quantity, QuoteError, QuoteRequest, SlicerConfig, SlicerMode,
    Utc,
};

/// Arguments of `makrx quote`.
#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// The part, as a binary or ASCII STL file (millimetres).
    pub part: PathBuf,

    /// Material: PLA, PETG, ABS, TPU, NYLON or RESIN.
    #[arg(long, default_value = "PLA")]
    pub material: String,

    /// Sparse infill, percent (FDM materials).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub infill: u8,

    /// Number of copies.
    #[arg(long, default_value_t = 1)]
    pub quantity: u32,

    /// Slice with PrusaSlicer when it is installed (`auto`), or always estimate (`off`).
    #[arg(long, value_enum, default_value_t = SlicerChoice::Auto)]
    pub slicer: SlicerChoice,

    /// Seconds slicing may take before the estimate is used instead.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub slicer_timeout: u64,

    /// Print the quote as one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Whether `makrx quote` runs the slicer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SlicerChoice {
    /// Slice when `prusa-slicer` is on PATH, else estimate.
    Auto,
    /// Always estimate.
    Off,
}

/// Quotes the part and prints the quote; a bad file is an error naming the reason, and a
/// part that fits no machine an error that with `--json` also prints its measures.
pub fn run(args: QuoteArgs) -> anyhow::Result<()> {
    let limits = Limits::default();
    let prices = PriceList::standard();
    let process = prices.material(&args.material)?.process;
    let request = QuoteRequest {
        material: args.material.clone(),
        settings: PrintSettings::standard(process, args.infill)?,
        quantity: Quantity::new(args.quantity)?,
        slicer: match args.slicer {
            SlicerChoice::Off => SlicerMode::Off,
            SlicerChoice::Auto => SlicerMode::Auto(SlicerConfig {
                timeout: Duration::from_secs(args.slicer_timeout),
                ..SlicerConfig::default()
            }),
        },
    };
    let quote = match makrx_quoting::quote_file(&args.part, &request, &prices, &limits, Utc::now())
    {
        Ok(quote) => quote,
        Err(error) => {
            // A part too big to print is still measured: with --json the store's keys go to
            // stdout (and no price), while the exit status says there is no quote.
            if args.json
                && let QuoteError::DoesNotFit(misfit) = &error
            {
                println!("{}", misfit.to_json());
            }
            return Err(error).with_context(|| format!("cannot quote {}", args.part.display()));
        }
    };
    if args.json {
        println!("{}", quote.to_json());
    } else {
        print!("{quote}");
    }
    Ok(())
}
