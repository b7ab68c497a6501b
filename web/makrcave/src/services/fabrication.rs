//! What a space makes for the store's customers: its offer and the printers it makes parts on.

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;

use crate::types::{
    EquipmentClass, Fabrication, FabricationOffer, Material, MembershipRole, PrintProcess,
    PrinterSetup, SpacePrinter,
};

operation!(
    FabricationPage,
    "graphql/fabrication.graphql",
    ["MembershipRole", "EquipmentClass", "PrintProcess"]
);
operation!(OfferFabrication, "graphql/fabrication.graphql");
operation!(
    SetFabricationPrinter,
    "graphql/fabrication.graphql",
    ["PrintProcess"]
);
operation!(RemoveFabricationPrinter, "graphql/fabrication.graphql");

/// The space at `slug` as its fabrication page shows it: its offer, its 3D printers and
/// what each makes, and the store's materials.
pub async fn fabrication(slug: String) -> Result<Fabrication, RequestError> {
    let answer = request::<FabricationPage>(fabrication_page::Variables { slug }).await?;
    let space = answer.makerspace;
    let role = role_in!(answer.me.memberships, space.id);
    let service = space.fabrication_service;
    let making = |id: &str| {
        service.as_ref().and_then(|service| {
            service
                .printers
                .iter()
                .find(|printer| printer.machine.id == id)
                .map(|printer| PrinterSetup {
                    process: printer.process,
                    build_mm: [printer.build_x_mm, printer.build_y_mm, printer.build_z_mm],
                })
        })
    };
    let mut printers: Vec<SpacePrinter> = space
        .equipment
        .iter()
        .filter(|machine| machine.class == EquipmentClass::Printer3d)
        .map(|machine| SpacePrinter {
            id: machine.id.clone(),
            name: machine.name.clone(),
            making: making(&machine.id),
        })
        .collect();
    printers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Fabrication {
        makerspace_id: space.id,
        name: space.name,
        manages: role.is_some_and(MembershipRole::manages),
        offer: service.map(|service| FabricationOffer {
            materials: service.materials,
            accepts_automatically: service.accepts_automatically,
            accepting: service.accepting,
        }),
        materials: answer
            .fabrication_materials
            .into_iter()
            .map(|material| Material {
                code: material.code,
                name: material.name,
                process: material.process,
            })
            .collect(),
        printers,
    })
}

/// Offers fabrication from the space `makerspace_id`, or changes what it offers.
pub async fn offer_fabrication(
    makerspace_id: String,
    offer: FabricationOffer,
) -> Result<(), RequestError> {
    let input = offer_fabrication::OfferFabricationInput {
        makerspace_id,
        materials: offer.materials,
        accepts_automatically: offer.accepts_automatically,
        accepting: offer.accepting,
    };
    request::<OfferFabrication>(offer_fabrication::Variables { input }).await?;
    Ok(())
}

/// Has the 3D printer `equipment_id` make parts for the store's customers as `setup` says.
pub async fn set_fabrication_printer(
    equipment_id: String,
    setup: PrinterSetup,
) -> Result<(), RequestError> {
    let [build_x_mm, build_y_mm, build_z_mm] = setup.build_mm;
    let input = set_fabrication_printer::SetFabricationPrinterInput {
        equipment_id,
        process: setup.process,
        build_x_mm,
        build_y_mm,
        build_z_mm,
    };
    request::<SetFabricationPrinter>(set_fabrication_printer::Variables { input }).await?;
    Ok(())
}

/// Stops the printer `equipment_id` making parts for the store's customers.
pub async fn remove_fabrication_printer(equipment_id: String) -> Result<(), RequestError> {
    let input = remove_fabrication_printer::RemoveFabricationPrinterInput { equipment_id };
    request::<RemoveFabricationPrinter>(remove_fabrication_printer::Variables { input }).await?;
    Ok(())
}
