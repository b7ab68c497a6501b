//! Who may follow what, in one place. Deny by default: a subscription or a history query names
//! the space or machine it follows, and is answered only for a caller who may see that space.
//! The rule itself is MakrCave's (`makrcave.may_see_space`: anyone for a public space, its
//! active members and platform admins for a private one), asked in the database, so that the
//! two services can never disagree. A space or machine the caller may not see is `NOT_FOUND`,
//! as one that does not exist: a private space's existence is not told either.

use makrx_service::{ApiError, Caller};
use sqlx::PgPool;
use uuid::Uuid;

/// `NOT_FOUND` unless `caller` may see the makerspace.
pub async fn require_space(
    db: &PgPool,
    caller: &Caller,
    makerspace_id: Uuid,
) -> Result<(), ApiError> {
    let visible = sqlx::query_scalar!(
        r#"select makrcave.may_see_space(id, $2, $3) as "visible!"
           from makrcave.makerspaces where id = $1"#,
        makerspace_id,
        caller.user_id(),
        caller.is_admin(),
    )
    .fetch_optional(db)
    .await?;
    match visible {
        Some(true) => Ok(()),
        _ => Err(ApiError::NotFound("makerspace".into())),
    }
}

/// `NOT_FOUND` unless `caller` is inside the makerspace (`makrcave.is_inside`: its active
/// members and platform admins), for what a space keeps to itself, public or not.
pub async fn require_inside(
    db: &PgPool,
    caller: &Caller,
    makerspace_id: Uuid,
) -> Result<(), ApiError> {
    let inside = sqlx::query_scalar!(
        r#"select makrcave.is_inside($1, $2, $3) as "inside!""#,
        makerspace_id,
        caller.user_id(),
        caller.is_admin(),
    )
    .fetch_one(db)
    .await?;
    if inside {
        Ok(())
    } else {
        Err(ApiError::NotFound("makerspace".into()))
    }
}

/// `NOT_FOUND` unless `caller` may see the order (the store's `store.may_see_order`: the
/// customer who placed it, and store staff).
pub async fn require_order(db: &PgPool, caller: &Caller, order_id: Uuid) -> Result<(), ApiError> {
    let visible = sqlx::query_scalar!(
        r#"select store.may_see_order($1, $2, $3) as "visible!""#,
        order_id,
        caller.user_id(),
        caller.is_store_staff(),
    )
    .fetch_one(db)
    .await?;
    if visible {
        Ok(())
    } else {
        Err(ApiError::NotFound("order".into()))
    }
}

/// `NOT_FOUND` unless `caller` may see the fabrication quote (the store's
/// `store.may_see_fabrication_quote`: the customer whose upload it quotes).
pub async fn require_fabrication_quote(
    db: &PgPool,
    caller: &Caller,
    quote_id: Uuid,
) -> Result<(), ApiError> {
    let viewer = caller.user()?.id;
    let visible = sqlx::query_scalar!(
        r#"select store.may_see_fabrication_quote($1, $2) as "visible!""#,
        quote_id,
        viewer,
    )
    .fetch_one(db)
    .await?;
    if visible {
        Ok(())
    } else {
        Err(ApiError::NotFound("quote".into()))
    }
}

/// `require_space`, then `FORBIDDEN` unless `caller` is one of the space's staff
/// (`makrcave.is_staff`), for what only they run: its fabrication jobs.
pub async fn require_staff(
    db: &PgPool,
    caller: &Caller,
    makerspace_id: Uuid,
) -> Result<(), ApiError> {
    require_space(db, caller, makerspace_id).await?;
    let staff = sqlx::query_scalar!(
        r#"select makrcave.is_staff($1, $2, $3) as "staff!""#,
        makerspace_id,
        caller.user()?.id,
        caller.is_admin(),
    )
    .fetch_one(db)
    .await?;
    if staff {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the makerspace's staff follow its fabrication jobs".into(),
        ))
    }
}

/// `NOT_FOUND` unless `caller` may see the fabrication job (MakrCave's
/// `makrcave.may_see_fabrication_job`: its customer, the staff of its space).
pub async fn require_fabrication_job(
    db: &PgPool,
    caller: &Caller,
    job_id: Uuid,
) -> Result<(), ApiError> {
    let visible = sqlx::query_scalar!(
        r#"select makrcave.may_see_fabrication_job($1, $2, $3) as "visible!""#,
        job_id,
        caller.user()?.id,
        caller.is_admin(),
    )
    .fetch_one(db)
    .await?;
    if visible {
        Ok(())
    } else {
        Err(ApiError::NotFound("fabrication job".into()))
    }
}

/// `NOT_FOUND` unless `caller` may see the machine's makerspace.
pub async fn require_machine(
    db: &PgPool,
    caller: &Caller,
    equipment_id: Uuid,
) -> Result<(), ApiError> {
    let visible = sqlx::query_scalar!(
        r#"select makrcave.may_see_space(makerspace_id, $2, $3) as "visible!"
           from makrcave.equipment where id = $1"#,
        equipment_id,
        caller.user_id(),
        caller.is_admin(),
    )
    .fetch_optional(db)
    .await?;
    match visible {
        Some(true) => Ok(()),
        _ => Err(ApiError::NotFound("equipment".into())),
    }
}
