-- Demo data for `makrx up`: a makerspace with machines, members, skills, plans and bookings,
-- and a small catalog. Idempotent: a second run adds nothing.
-- The users match the development OIDC server's accounts (their `sub` is the email), so
-- signing in as owner@makrx.dev makes you this space's owner.
insert into shared.users (id, subject, email, display_name, bio, roles) values
    ('01936d7e-0000-7000-8000-000000000001', 'owner@makrx.dev', 'owner@makrx.dev', 'Olu Owner', 'Runs the demo space.', '{}'),
    ('01936d7e-0000-7000-8000-000000000002', 'admin@makrx.dev', 'admin@makrx.dev', 'Ada Admin', null, '{admin}'),
    ('01936d7e-0000-7000-8000-000000000003', 'manager@makrx.dev', 'manager@makrx.dev', 'Maya Manager', null, '{}'),
    ('01936d7e-0000-7000-8000-000000000004', 'staff@makrx.dev', 'staff@makrx.dev', 'Sam Staff', null, '{}'),
    ('01936d7e-0000-7000-8000-000000000005', 'member@makrx.dev', 'member@makrx.dev', 'Mel Member', null, '{}'),
    ('01936d7e-0000-7000-8000-000000000006', 'provider@makrx.dev', 'provider@makrx.dev', 'Priya Provider', null, '{provider}')
on conflict (subject) do nothing;

insert into makrcave.makerspaces (id, name, slug, description, location, owner_id)
select '01936d7e-0000-7000-8000-000000000101', 'MakrX Demo Space', 'demo-space',
       'A community workshop with lasers, printers and a CNC router.', 'Bengaluru', id
from shared.users where subject = 'owner@makrx.dev'
on conflict (slug) do nothing;

update makrcave.makerspaces set time_zone = 'Asia/Kolkata', currency = 'INR'
where id = '01936d7e-0000-7000-8000-000000000101' and time_zone = 'UTC';

-- Open 10:00 to 20:00 Monday to Saturday, Bengaluru time.
insert into makrcave.opening_hours (makerspace_id, weekday, opens_minute, closes_minute)
select '01936d7e-0000-7000-8000-000000000101', weekday, 600, 1200 from generate_series(1, 6) weekday
on conflict do nothing;

insert into makrcave.memberships (makerspace_id, user_id, role)
select '01936d7e-0000-7000-8000-000000000101', u.id, role.name
from (values ('owner@makrx.dev', 'owner'), ('manager@makrx.dev', 'manager'), ('staff@makrx.dev', 'staff'),
             ('member@makrx.dev', 'member'), ('provider@makrx.dev', 'member')) as role (subject, name)
join shared.users u on u.subject = role.subject
on conflict do nothing;

-- Skills, lowest level first: the laser needs basic laser safety, the CNC certified operation.
insert into makrcave.skills (id, makerspace_id, name, description, levels) values
    ('01936d7e-0000-7000-8000-000000000401', '01936d7e-0000-7000-8000-000000000101', 'Laser safety',
     'Materials, focus, fire watch and the extraction.', '{novice,basic,advanced,expert}'),
    ('01936d7e-0000-7000-8000-000000000402', '01936d7e-0000-7000-8000-000000000101', 'CNC operation',
     'Workholding, feeds and speeds, the emergency stop.', '{trained,certified}')
on conflict do nothing;

insert into makrcave.equipment (id, makerspace_id, name, kind, status, class, location, hourly_cost_minor,
                                requires_approval, required_skill_id, required_level) values
    ('01936d7e-0000-7000-8000-000000000201', '01936d7e-0000-7000-8000-000000000101', 'Trotec Speedy 360', 'laser cutter',
     'available', 'laser_cutter', 'Room 2', 60000, false, '01936d7e-0000-7000-8000-000000000401', 2),
    ('01936d7e-0000-7000-8000-000000000202', '01936d7e-0000-7000-8000-000000000101', 'Prusa MK4 #1', '3D printer',
     'available', 'printer_3d', 'Print corner', 15000, false, null, null),
    ('01936d7e-0000-7000-8000-000000000203', '01936d7e-0000-7000-8000-000000000101', 'Prusa MK4 #2', '3D printer',
     'in_use', 'printer_3d', 'Print corner', 15000, false, null, null),
    ('01936d7e-0000-7000-8000-000000000204', '01936d7e-0000-7000-8000-000000000101', 'Shapeoko 5 Pro', 'CNC router',
     'maintenance', 'cnc', 'Workshop', 90000, true, '01936d7e-0000-7000-8000-000000000402', 2),
    ('01936d7e-0000-7000-8000-000000000205', '01936d7e-0000-7000-8000-000000000101', 'Soldering station', 'Hakko FX-888D',
     'available', 'electronics', 'Electronics bench', 0, false, null, null)
on conflict do nothing;

-- Mel has basic laser safety; Priya is a novice, so the laser refuses her.
insert into makrcave.skill_grants (skill_id, user_id, level, granted_by)
select '01936d7e-0000-7000-8000-000000000401', u.id, grant_.level, '01936d7e-0000-7000-8000-000000000004'
from (values ('member@makrx.dev', 2), ('provider@makrx.dev', 1)) as grant_ (subject, level)
join shared.users u on u.subject = grant_.subject
on conflict do nothing;

insert into makrcave.plans (id, makerspace_id, name, price_minor, currency, period, daily_quota_minutes,
                            weekly_quota_minutes, equipment_classes) values
    ('01936d7e-0000-7000-8000-000000000501', '01936d7e-0000-7000-8000-000000000101', 'Hobbyist', 150000, 'INR', 'month',
     120, 360, '{printer_3d,electronics}'),
    ('01936d7e-0000-7000-8000-000000000502', '01936d7e-0000-7000-8000-000000000101', 'Pro', 400000, 'INR', 'month',
     240, 960, '{printer_3d,electronics,laser_cutter,cnc}')
on conflict do nothing;

insert into makrcave.member_plans (makerspace_id, user_id, plan_id, starts_on)
select '01936d7e-0000-7000-8000-000000000101', u.id, plan.id::uuid, current_date - 30
from (values ('member@makrx.dev', '01936d7e-0000-7000-8000-000000000502'),
             ('provider@makrx.dev', '01936d7e-0000-7000-8000-000000000501')) as plan (subject, id)
join shared.users u on u.subject = plan.subject
on conflict do nothing;

-- A few bookings from tomorrow on, at 11:00 and 15:00 Bengaluru time.
insert into makrcave.reservations (id, makerspace_id, equipment_id, user_id, during, status, note, cost_minor, currency)
select booking.id::uuid, '01936d7e-0000-7000-8000-000000000101', booking.equipment::uuid, u.id,
       tstzrange(starts, starts + booking.length), 'approved', booking.note,
       (extract(epoch from booking.length) / 3600 * e.hourly_cost_minor)::bigint, 'INR'
from (values
        ('01936d7e-0000-7000-8000-000000000601', '01936d7e-0000-7000-8000-000000000201', 'member@makrx.dev', 1, '11:00', interval '90 minutes', 'Acrylic signs'),
        ('01936d7e-0000-7000-8000-000000000602', '01936d7e-0000-7000-8000-000000000202', 'provider@makrx.dev', 1, '15:00', interval '2 hours', 'Enclosure prototype'),
        ('01936d7e-0000-7000-8000-000000000603', '01936d7e-0000-7000-8000-000000000202', 'staff@makrx.dev', 2, '11:00', interval '1 hour', 'Calibration')
     ) as booking (id, equipment, subject, days, at, length, note)
join shared.users u on u.subject = booking.subject
join makrcave.equipment e on e.id = booking.equipment::uuid
cross join lateral (select ((current_date + booking.days) + booking.at::time) at time zone 'Asia/Kolkata' as starts) as slot
on conflict do nothing;

insert into store.products (id, sku, name, price_cents, currency, stock_quantity) values
    ('01936d7e-0000-7000-8000-000000000301', 'PLA-1KG-BLK', 'PLA filament, black, 1 kg', 1999, 'EUR', 40),
    ('01936d7e-0000-7000-8000-000000000302', 'PETG-1KG-CLR', 'PETG filament, clear, 1 kg', 2490, 'EUR', 25),
    ('01936d7e-0000-7000-8000-000000000303', 'ACRYL-3MM-A4', 'Acrylic sheet, 3 mm, A4', 650, 'EUR', 120),
    ('01936d7e-0000-7000-8000-000000000304', 'PLY-4MM-A3', 'Birch plywood, 4 mm, A3', 480, 'EUR', 80),
    ('01936d7e-0000-7000-8000-000000000305', 'M3-SCREW-100', 'M3 x 10 mm screws, 100 pieces', 399, 'EUR', 300)
on conflict (sku) do nothing;
