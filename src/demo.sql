-- Demo data for `makrx up`: a makerspace with machines, and a small catalog. Idempotent.
-- The users match the development OIDC server's accounts (their `sub` is the email), so
-- signing in as owner@makrx.dev makes you this space's owner.
insert into shared.users (id, subject, email, display_name, bio, roles) values
    ('01936d7e-0000-7000-8000-000000000001', 'owner@makrx.dev', 'owner@makrx.dev', 'Olu Owner', 'Runs the demo space.', '{}'),
    ('01936d7e-0000-7000-8000-000000000002', 'admin@makrx.dev', 'admin@makrx.dev', 'Ada Admin', null, '{admin}')
on conflict (subject) do nothing;

insert into makrcave.makerspaces (id, name, slug, description, location, owner_id)
select '01936d7e-0000-7000-8000-000000000101', 'MakrX Demo Space', 'demo-space',
       'A community workshop with lasers, printers and a CNC router.', 'Bengaluru', id
from shared.users where subject = 'owner@makrx.dev'
on conflict (slug) do nothing;

insert into makrcave.memberships (makerspace_id, user_id, role)
select '01936d7e-0000-7000-8000-000000000101', id, 'owner' from shared.users where subject = 'owner@makrx.dev'
on conflict do nothing;

insert into makrcave.equipment (id, makerspace_id, name, kind, status) values
    ('01936d7e-0000-7000-8000-000000000201', '01936d7e-0000-7000-8000-000000000101', 'Trotec Speedy 360', 'laser cutter', 'available'),
    ('01936d7e-0000-7000-8000-000000000202', '01936d7e-0000-7000-8000-000000000101', 'Prusa MK4 #1', '3D printer', 'available'),
    ('01936d7e-0000-7000-8000-000000000203', '01936d7e-0000-7000-8000-000000000101', 'Prusa MK4 #2', '3D printer', 'in_use'),
    ('01936d7e-0000-7000-8000-000000000204', '01936d7e-0000-7000-8000-000000000101', 'Shapeoko 5 Pro', 'CNC router', 'maintenance')
on conflict do nothing;

insert into store.products (id, sku, name, price_cents, currency, stock_quantity) values
    ('01936d7e-0000-7000-8000-000000000301', 'PLA-1KG-BLK', 'PLA filament, black, 1 kg', 1999, 'EUR', 40),
    ('01936d7e-0000-7000-8000-000000000302', 'PETG-1KG-CLR', 'PETG filament, clear, 1 kg', 2490, 'EUR', 25),
    ('01936d7e-0000-7000-8000-000000000303', 'ACRYL-3MM-A4', 'Acrylic sheet, 3 mm, A4', 650, 'EUR', 120),
    ('01936d7e-0000-7000-8000-000000000304', 'PLY-4MM-A3', 'Birch plywood, 4 mm, A3', 480, 'EUR', 80),
    ('01936d7e-0000-7000-8000-000000000305', 'M3-SCREW-100', 'M3 x 10 mm screws, 100 pieces', 399, 'EUR', 300)
on conflict (sku) do nothing;
