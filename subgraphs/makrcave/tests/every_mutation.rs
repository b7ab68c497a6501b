//! Every mutation, found by introspection, so that one added later is covered too: someone who
//! is not signed in is asked to sign in before anything is looked up, and a value of the wrong
//! shape anywhere in an input (a date-time that is no date-time, a date where a date-time
//! belongs, an id that is no id, words where a number belongs) is the caller's mistake, never
//! an internal error.

mod common;

use common::lab::stranger;
use common::makrcave;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code};
use serde_json::{Map, Value, json};
use sqlx::PgPool;

const INTROSPECTION: &str = "query {
    __schema {
        mutationType { fields { name args { name type { ...Ref } } type { ...Ref } } }
        types { name kind inputFields { name type { ...Ref } } enumValues { name } }
    }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// The schema as introspection tells it: the mutations and the types their inputs use.
struct Schema {
    mutations: Vec<Value>,
    types: Map<String, Value>,
}

impl Schema {
    async fn of(api: &Endpoint) -> Self {
        let schema = api.data(INTROSPECTION, json!({}), None).await["__schema"].clone();
        let types = schema["types"]
            .as_array()
            .expect("types")
            .iter()
            .map(|ty| (ty["name"].as_str().expect("a name").to_owned(), ty.clone()))
            .collect();
        Self {
            mutations: schema["mutationType"]["fields"]
                .as_array()
                .expect("mutations")
                .clone(),
            types,
        }
    }

    /// A well-formed value of `ty`, every optional field given too.
    fn sample(&self, ty: &Value) -> Value {
        match ty["kind"].as_str().expect("a kind") {
            "NON_NULL" => self.sample(&ty["ofType"]),
            "LIST" => json!([self.sample(&ty["ofType"])]),
            "ENUM" => self.types[named(ty)]["enumValues"][0]["name"].clone(),
            "INPUT_OBJECT" => Value::Object(
                self.types[named(ty)]["inputFields"]
                    .as_array()
                    .expect("input fields")
                    .iter()
                    .map(|field| {
                        let name = field["name"].as_str().expect("a field name");
                        (name.to_owned(), self.sample(&field["type"]))
                    })
                    .collect(),
            ),
            _ => match named(ty) {
                "ID" => json!(uuid::Uuid::now_v7()),
                "String" => json!("x"),
                "Int" => json!(1),
                "Float" => json!(1.0),
                "Decimal" => json!("1.5"),
                "Boolean" => json!(false),
                "DateTime" => json!("2030-01-07T10:00:00Z"),
                "NaiveDate" => json!("2030-01-07"),
                other => panic!("no sample for the scalar {other}: add one"),
            },
        }
    }

    /// Each way to spoil one scalar of `value` (of type `ty`): where it is, and the value with
    /// it spoilt.
    fn spoilt(&self, ty: &Value, value: &Value, at: &str) -> Vec<(String, Value)> {
        match ty["kind"].as_str().expect("a kind") {
            "NON_NULL" => self.spoilt(&ty["ofType"], value, at),
            "LIST" => self
                .spoilt(&ty["ofType"], &value[0], &format!("{at}[0]"))
                .into_iter()
                .map(|(at, item)| (at, json!([item])))
                .collect(),
            "INPUT_OBJECT" => self.types[named(ty)]["inputFields"]
                .as_array()
                .expect("input fields")
                .iter()
                .flat_map(|field| {
                    let name = field["name"].as_str().expect("a field name");
                    self.spoilt(&field["type"], &value[name], &format!("{at}.{name}"))
                        .into_iter()
                        .map(move |(at, spoilt)| {
                            let mut whole = value.clone();
                            whole[name] = spoilt;
                            (at, whole)
                        })
                })
                .collect(),
            _ => {
                let wrong: &[Value] = match named(ty) {
                    "ID" => &[json!("not-an-id"), json!("")],
                    "Int" => &[json!("seven"), json!(1.5)],
                    "Decimal" => &[json!("lots"), json!("1,5")],
                    "DateTime" => &[json!("not-a-time"), json!("2030-01-07")],
                    "NaiveDate" => &[json!("2030-02-30"), json!("2030-01-07T10:00:00Z")],
                    _ => &[],
                };
                wrong
                    .iter()
                    .map(|wrong| (format!("{at} = {wrong}"), wrong.clone()))
                    .collect()
            }
        }
    }
}

/// The name of the type `ty` wraps in lists and non-nulls.
fn named(ty: &Value) -> &str {
    match ty["kind"]
        .as_str()
        .expect("a kind (deeper than INTROSPECTION's Ref reaches?)")
    {
        "NON_NULL" | "LIST" => named(&ty["ofType"]),
        _ => ty["name"].as_str().expect("a named type"),
    }
}

/// How `ty` is written in a variable's definition: `CreateReservationInput!`.
fn written(ty: &Value) -> String {
    match ty["kind"].as_str().expect("a kind") {
        "NON_NULL" => format!("{}!", written(&ty["ofType"])),
        "LIST" => format!("[{}]", written(&ty["ofType"])),
        _ => named(ty).to_owned(),
    }
}

/// One mutation as a client sends it, each argument a variable, with well-formed arguments.
fn operation(schema: &Schema, mutation: &Value) -> (String, Map<String, Value>) {
    let name = mutation["name"].as_str().expect("a mutation name");
    let args = mutation["args"].as_array().expect("arguments");
    let definitions: Vec<String> = args
        .iter()
        .map(|arg| {
            format!(
                "${}: {}",
                arg["name"].as_str().expect("a name"),
                written(&arg["type"])
            )
        })
        .collect();
    let passed: Vec<String> = args
        .iter()
        .map(|arg| {
            let arg = arg["name"].as_str().expect("a name");
            format!("{arg}: ${arg}")
        })
        .collect();
    let returns = &schema.types[named(&mutation["type"])];
    let selection = if returns["kind"] == "OBJECT" {
        " { __typename }"
    } else {
        ""
    };
    let query = format!(
        "mutation({}) {{ {name}({}){selection} }}",
        definitions.join(", "),
        passed.join(", ")
    );
    let variables = args
        .iter()
        .map(|arg| {
            let name = arg["name"].as_str().expect("a name").to_owned();
            (name, schema.sample(&arg["type"]))
        })
        .collect();
    (query, variables)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_mutation_asks_someone_not_signed_in_to_sign_in_first(db: PgPool) {
    let api = makrcave(&db).await;
    let schema = Schema::of(&api).await;
    assert!(schema.mutations.len() > 30, "the mutations were found");

    let mut answered_otherwise = Vec::new();
    for mutation in &schema.mutations {
        let (query, variables) = operation(&schema, mutation);
        let answer = api.send(&query, Value::Object(variables), None).await;
        if error_code(&answer) != Some("UNAUTHENTICATED")
            || answer["errors"][0]["message"] != "sign in to do this"
        {
            answered_otherwise.push(format!("{}: {answer}", mutation["name"]));
        }
    }
    assert!(
        answered_otherwise.is_empty(),
        "{}",
        answered_otherwise.join("\n")
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_value_of_the_wrong_shape_in_any_mutation_is_a_validation_error(db: PgPool) {
    let api = makrcave(&db).await;
    let schema = Schema::of(&api).await;
    let someone = stranger(&api, &db, "someone").await;
    let mut tried = 0;
    let mut answered_otherwise = Vec::new();

    for mutation in &schema.mutations {
        let (query, variables) = operation(&schema, mutation);
        for arg in mutation["args"].as_array().expect("arguments") {
            let name = arg["name"].as_str().expect("a name");
            for (at, spoilt) in schema.spoilt(&arg["type"], &variables[name], name) {
                let mut variables = variables.clone();
                variables.insert(name.to_owned(), spoilt);
                let answer = api
                    .send(&query, Value::Object(variables), Some(&someone.token))
                    .await;
                if error_code(&answer) != Some("VALIDATION_ERROR") {
                    answered_otherwise.push(format!("{} with {at}: {answer}", mutation["name"]));
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 100, "{tried} spoilt values were tried");
    assert!(
        answered_otherwise.is_empty(),
        "{}",
        answered_otherwise.join("\n")
    );
}
