-- Who may see an order: the customer who placed it and store staff. The store's queries and the
-- events service's `orderChanged` both ask this one function.
create function store.may_see_order(order_id uuid, viewer uuid, staff boolean) returns boolean
language sql stable as $$
    select staff or exists (select from store.orders where id = order_id and customer_id = viewer)
$$;
