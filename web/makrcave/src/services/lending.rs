//! Lending a space's tools: the terms, lending, taking back, and who has what.

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;

use super::{local_time, stock_space};
use crate::types::{ItemLending, Loan, NewLoan, SkillLevels, SpaceLoans, StockUnit, ToolCondition};

/// The API's RFC 3339 timestamps and decimals, as text.
type DateTime = String;
type Decimal = String;

operation!(ItemLendingTerms, "graphql/lending.graphql", ["StockUnit"]);
operation!(SpaceToolLoans, "graphql/lending.graphql", ["StockUnit"]);
operation!(MyToolLoans, "graphql/lending.graphql", ["StockUnit"]);
operation!(SetToolLending, "graphql/lending.graphql");
operation!(LendTool, "graphql/lending.graphql");
operation!(ReturnTool, "graphql/lending.graphql", ["ToolCondition"]);

/// A loan read from any operation's answer, `$with` saying who has it (for staff) or where it
/// is from (for the member).
macro_rules! loan_out {
    ($loan:ident, $with:expr) => {
        Ok(Loan {
            due_at: local_time(&$loan.due_at)?,
            with: $with,
            id: $loan.id,
            item_id: $loan.item.id,
            item: $loan.item.name,
            unit: $loan.item.unit,
            quantity: $loan.quantity,
            serial: $loan.serial,
            overdue: $loan.overdue,
        })
    };
}

/// How the item `item_id` of the space `makerspace_id` is lent, and its loans out.
pub async fn item_lending(
    (item_id, makerspace_id): (String, String),
) -> Result<ItemLending, RequestError> {
    use item_lending_terms::*;
    let answer = request::<ItemLendingTerms>(Variables {
        item_id,
        makerspace_id,
    })
    .await?;
    let lending = answer.inventory_item.lending;
    Ok(ItemLending {
        lendable: lending.is_some(),
        gate: lending
            .and_then(|lending| lending.skill_gate)
            .map(|gate| (gate.skill.id, gate.level)),
        skills: answer
            .skills
            .into_iter()
            .map(|skill| SkillLevels {
                id: skill.id,
                name: skill.name,
                levels: skill.levels,
            })
            .collect(),
        loans: answer
            .tool_loans
            .nodes
            .into_iter()
            .map(|loan| loan_out!(loan, loan.member.display_name))
            .collect::<Result<_, RequestError>>()?,
    })
}

/// The tools out of the space at `slug`, soonest due first.
pub async fn space_loans(slug: String) -> Result<SpaceLoans, RequestError> {
    let space = stock_space(slug).await?;
    let variables = space_tool_loans::Variables {
        makerspace_id: space.makerspace_id.clone(),
    };
    let answer = request::<SpaceToolLoans>(variables).await?;
    Ok(SpaceLoans {
        space,
        loans: answer
            .tool_loans
            .nodes
            .into_iter()
            .map(|loan| loan_out!(loan, loan.member.display_name))
            .collect::<Result<_, RequestError>>()?,
    })
}

/// The signed-in member's tools out, soonest due first, each with the space it is from.
pub async fn my_loans() -> Result<Vec<Loan>, RequestError> {
    let answer = request::<MyToolLoans>(my_tool_loans::Variables).await?;
    answer
        .my_tool_loans
        .into_iter()
        .map(|loan| loan_out!(loan, loan.item.makerspace.name))
        .collect()
}

/// Lends the item `item_id` or stops lending it; `gate` is the skill (API id) and level
/// borrowing it takes, if any.
pub async fn set_lending(
    item_id: String,
    lendable: bool,
    gate: Option<(String, String)>,
) -> Result<(), RequestError> {
    let (skill_id, level) = gate.unzip();
    let input = set_tool_lending::SetToolLendingInput {
        item_id,
        lendable,
        skill_id,
        level,
    };
    request::<SetToolLending>(set_tool_lending::Variables { input }).await?;
    Ok(())
}

/// Lends `loan` of the item `item_id` from the place `location_id`.
pub async fn lend(item_id: String, location_id: String, loan: NewLoan) -> Result<(), RequestError> {
    let serial = loan.serial.trim();
    let input = lend_tool::LendToolInput {
        item_id,
        member_id: loan.member,
        location_id,
        due_at: utc_of_local(&loan.due),
        quantity: loan.quantity.trim().to_owned(),
        serial: (!serial.is_empty()).then(|| serial.to_owned()),
    };
    request::<LendTool>(lend_tool::Variables { input }).await?;
    Ok(())
}

/// The browser's local date and time `2026-12-07T18:00` as an RFC 3339 instant; what is no
/// date-time goes as typed, for the API to refuse by name.
fn utc_of_local(local: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
    if date.get_time().is_nan() {
        local.to_owned()
    } else {
        String::from(date.to_iso_string())
    }
}

/// Takes the loan `loan_id` back in `condition`, with staff's `note`; answers what the item
/// holds now.
pub async fn take_back(
    loan_id: String,
    condition: ToolCondition,
    note: String,
) -> Result<String, RequestError> {
    let input = return_tool::ReturnToolInput {
        loan_id,
        condition,
        note: note.trim().to_owned(),
        location_id: None,
    };
    let answer = request::<ReturnTool>(return_tool::Variables { input }).await?;
    Ok(answer.return_tool.item.on_hand)
}
