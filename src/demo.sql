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
    ('01936d7e-0000-7000-8000-000000000006', 'provider@makrx.dev', 'provider@makrx.dev', 'Priya Provider', null, '{provider}'),
    ('01936d7e-0000-7000-8000-000000000007', 'store@makrx.dev', 'store@makrx.dev', 'Stella Store', null, '{store-staff}')
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

-- The catalog, in rupees (prices in paise): categories, products with their variants, and stock
-- at the warehouse and, for pickup, at the demo space. Databases from before variants keep the
-- old demo products (ids 301-305), so these use other ids and SKUs.
insert into store.categories (id, parent_id, slug, name, position) values
    ('01936d7e-0000-7000-8000-000000000311', null, 'filament', 'Filament', 1),
    ('01936d7e-0000-7000-8000-000000000312', '01936d7e-0000-7000-8000-000000000311', 'pla', 'PLA', 1),
    ('01936d7e-0000-7000-8000-000000000313', '01936d7e-0000-7000-8000-000000000311', 'petg', 'PETG', 2),
    ('01936d7e-0000-7000-8000-000000000314', null, 'electronics', 'Electronics', 2),
    ('01936d7e-0000-7000-8000-000000000315', '01936d7e-0000-7000-8000-000000000314', 'boards', 'Boards', 1),
    ('01936d7e-0000-7000-8000-000000000316', '01936d7e-0000-7000-8000-000000000314', 'components', 'Components', 2),
    ('01936d7e-0000-7000-8000-000000000317', null, 'tools', 'Tools', 3),
    ('01936d7e-0000-7000-8000-000000000318', null, 'sheet-materials', 'Sheet materials', 4)
on conflict do nothing;

insert into store.products (id, slug, name, description, category_id, attributes) values
    ('01936d7e-0000-7000-8000-000000000321', 'pla-filament-1-kg', 'PLA filament, 1 kg',
     'Easy to print at 190-220 °C with little warping: prototypes, models and most everyday parts. Vacuum-sealed with desiccant.',
     '01936d7e-0000-7000-8000-000000000312', '{"material": "PLA", "brand": "MakrX", "weight": "1 kg"}'),
    ('01936d7e-0000-7000-8000-000000000322', 'petg-filament-1-kg', 'PETG filament, 1 kg',
     'Tougher and more heat-resistant than PLA, for brackets, clips and parts that live outdoors. Prints at 230-250 °C on a 70-80 °C bed.',
     '01936d7e-0000-7000-8000-000000000313', '{"material": "PETG", "brand": "MakrX", "weight": "1 kg"}'),
    ('01936d7e-0000-7000-8000-000000000323', 'arduino-uno-r3', 'Arduino Uno R3',
     'The classic ATmega328P board with 14 digital and 6 analog pins at 5 V, the one most tutorials and shields expect. USB cable not included.',
     '01936d7e-0000-7000-8000-000000000315', '{"brand": "Arduino", "microcontroller": "ATmega328P", "voltage": "5 V"}'),
    ('01936d7e-0000-7000-8000-000000000324', 'esp32-devkit', 'ESP32 DevKit',
     'ESP32-WROOM-32 board with Wi-Fi and Bluetooth, programmed from the Arduino IDE or ESP-IDF. Its pins are 3.3 V: shift 5 V signals down.',
     '01936d7e-0000-7000-8000-000000000315', '{"microcontroller": "ESP32", "voltage": "3.3 V"}'),
    ('01936d7e-0000-7000-8000-000000000325', 'raspberry-pi-pico', 'Raspberry Pi Pico',
     'RP2040 board with two cores at 133 MHz and 264 KB of RAM, programmed in MicroPython or C. Comes without headers soldered on.',
     '01936d7e-0000-7000-8000-000000000315', '{"brand": "Raspberry Pi", "microcontroller": "RP2040", "voltage": "3.3 V"}'),
    ('01936d7e-0000-7000-8000-000000000326', 'jumper-wires', 'Jumper wires',
     'A strip of 40 male-to-male Dupont wires in mixed colours for breadboards and pin headers; peel off as many as you need.',
     '01936d7e-0000-7000-8000-000000000316', '{"connector": "male-male", "pieces": "40"}'),
    ('01936d7e-0000-7000-8000-000000000327', 'resistor-kit', 'Resistor kit',
     '600 metal-film resistors, 1/4 W and 1 %: 20 each of 30 values from 10 ohms to 1 megohm, in strips labelled by value.',
     '01936d7e-0000-7000-8000-000000000316', '{"pieces": "600", "power": "0.25 W"}'),
    ('01936d7e-0000-7000-8000-000000000328', 'soldering-iron-60-w', 'Soldering iron, 60 W',
     'Adjustable from 200 to 450 °C and hot in about a minute; takes standard 900M tips. Comes with a stand and a sponge.',
     '01936d7e-0000-7000-8000-000000000317', '{"power": "60 W"}'),
    ('01936d7e-0000-7000-8000-000000000329', 'digital-calipers-150-mm', 'Digital calipers, 150 mm',
     'Stainless steel, reading to 0.01 mm, for outside, inside, depth and step measurements; zero anywhere, mm or inches. Runs on one LR44 cell.',
     '01936d7e-0000-7000-8000-000000000317', '{"material": "stainless steel", "range": "150 mm"}'),
    ('01936d7e-0000-7000-8000-000000000330', 'hex-key-set', 'Hex key set',
     'Nine metric L-keys from 1.5 to 10 mm, with ball ends for reaching screws at an angle, in a holder.',
     '01936d7e-0000-7000-8000-000000000317', '{"pieces": "9", "sizes": "metric"}'),
    ('01936d7e-0000-7000-8000-000000000331', 'acrylic-sheet-3-mm', 'Acrylic sheet, 3 mm',
     'Clear cast acrylic for the laser: it cuts with a polished edge and engraves frosty white. Protective film on both sides.',
     '01936d7e-0000-7000-8000-000000000318', '{"material": "acrylic", "thickness": "3 mm", "colour": "clear"}'),
    ('01936d7e-0000-7000-8000-000000000332', 'birch-plywood-4-mm', 'Birch plywood, 4 mm',
     'Birch plywood with few voids, for laser-cut boxes, signs and models. Mask the face with tape before cutting to keep it free of smoke marks.',
     '01936d7e-0000-7000-8000-000000000318', '{"material": "plywood", "thickness": "4 mm"}'),
    ('01936d7e-0000-7000-8000-000000000333', 'm3-x-10-mm-screws-100-pieces', 'M3 x 10 mm screws, 100 pieces',
     'Stainless steel socket-head cap screws (2.5 mm hex key), the usual size for 3D-printer parts, enclosures and PCB standoffs.',
     '01936d7e-0000-7000-8000-000000000317', '{"material": "stainless steel", "thread": "M3", "length": "10 mm"}')
on conflict do nothing;

insert into store.product_variants (id, product_id, sku, name, options, price_minor, currency, position)
select variant.id::uuid, variant.product::uuid, variant.sku, variant.name, variant.options::jsonb, variant.price, 'INR',
       variant.position
from (values
        ('01936d7e-0000-7000-8000-000000000411', '01936d7e-0000-7000-8000-000000000321', 'PLA-175-BLACK', 'PLA filament, 1.75 mm, black', '{"colour": "black", "diameter": "1.75 mm"}', 119900, 1),
        ('01936d7e-0000-7000-8000-000000000412', '01936d7e-0000-7000-8000-000000000321', 'PLA-175-WHITE', 'PLA filament, 1.75 mm, white', '{"colour": "white", "diameter": "1.75 mm"}', 119900, 2),
        ('01936d7e-0000-7000-8000-000000000413', '01936d7e-0000-7000-8000-000000000321', 'PLA-175-RED', 'PLA filament, 1.75 mm, red', '{"colour": "red", "diameter": "1.75 mm"}', 119900, 3),
        ('01936d7e-0000-7000-8000-000000000414', '01936d7e-0000-7000-8000-000000000321', 'PLA-175-BLUE', 'PLA filament, 1.75 mm, blue', '{"colour": "blue", "diameter": "1.75 mm"}', 119900, 4),
        ('01936d7e-0000-7000-8000-000000000415', '01936d7e-0000-7000-8000-000000000321', 'PLA-285-BLACK', 'PLA filament, 2.85 mm, black', '{"colour": "black", "diameter": "2.85 mm"}', 149900, 5),
        ('01936d7e-0000-7000-8000-000000000416', '01936d7e-0000-7000-8000-000000000321', 'PLA-285-WHITE', 'PLA filament, 2.85 mm, white', '{"colour": "white", "diameter": "2.85 mm"}', 149900, 6),
        ('01936d7e-0000-7000-8000-000000000417', '01936d7e-0000-7000-8000-000000000321', 'PLA-285-RED', 'PLA filament, 2.85 mm, red', '{"colour": "red", "diameter": "2.85 mm"}', 149900, 7),
        ('01936d7e-0000-7000-8000-000000000418', '01936d7e-0000-7000-8000-000000000321', 'PLA-285-BLUE', 'PLA filament, 2.85 mm, blue', '{"colour": "blue", "diameter": "2.85 mm"}', 149900, 8),
        ('01936d7e-0000-7000-8000-000000000419', '01936d7e-0000-7000-8000-000000000322', 'PETG-175-CLEAR', 'PETG filament, 1.75 mm, clear', '{"colour": "clear", "diameter": "1.75 mm"}', 134900, 1),
        ('01936d7e-0000-7000-8000-000000000420', '01936d7e-0000-7000-8000-000000000322', 'PETG-175-BLACK', 'PETG filament, 1.75 mm, black', '{"colour": "black", "diameter": "1.75 mm"}', 134900, 2),
        ('01936d7e-0000-7000-8000-000000000421', '01936d7e-0000-7000-8000-000000000323', 'ARDUINO-UNO-R3', 'Arduino Uno R3', '{}', 229900, 1),
        ('01936d7e-0000-7000-8000-000000000422', '01936d7e-0000-7000-8000-000000000324', 'ESP32-DEVKIT', 'ESP32 DevKit', '{}', 49900, 1),
        ('01936d7e-0000-7000-8000-000000000423', '01936d7e-0000-7000-8000-000000000325', 'RPI-PICO', 'Raspberry Pi Pico', '{}', 39900, 1),
        ('01936d7e-0000-7000-8000-000000000424', '01936d7e-0000-7000-8000-000000000326', 'JUMPER-MM-20CM', 'Jumper wires, 20 cm', '{"length": "20 cm"}', 9900, 1),
        ('01936d7e-0000-7000-8000-000000000425', '01936d7e-0000-7000-8000-000000000326', 'JUMPER-MM-10CM', 'Jumper wires, 10 cm', '{"length": "10 cm"}', 6900, 2),
        ('01936d7e-0000-7000-8000-000000000426', '01936d7e-0000-7000-8000-000000000327', 'RESISTOR-KIT-600', 'Resistor kit', '{}', 34900, 1),
        ('01936d7e-0000-7000-8000-000000000427', '01936d7e-0000-7000-8000-000000000328', 'SOLDERING-IRON-60W', 'Soldering iron, 60 W', '{}', 69900, 1),
        ('01936d7e-0000-7000-8000-000000000428', '01936d7e-0000-7000-8000-000000000329', 'CALIPERS-150MM', 'Digital calipers, 150 mm', '{}', 129900, 1),
        ('01936d7e-0000-7000-8000-000000000429', '01936d7e-0000-7000-8000-000000000330', 'HEX-KEY-SET-9', 'Hex key set', '{}', 39900, 1),
        ('01936d7e-0000-7000-8000-000000000430', '01936d7e-0000-7000-8000-000000000331', 'ACRYLIC-3MM-A4', 'Acrylic sheet, 3 mm, A4', '{"size": "A4"}', 24900, 1),
        ('01936d7e-0000-7000-8000-000000000431', '01936d7e-0000-7000-8000-000000000331', 'ACRYLIC-3MM-A3', 'Acrylic sheet, 3 mm, A3', '{"size": "A3"}', 44900, 2),
        ('01936d7e-0000-7000-8000-000000000432', '01936d7e-0000-7000-8000-000000000332', 'PLY-BIRCH-4MM-A4', 'Birch plywood, 4 mm, A4', '{"size": "A4"}', 12900, 1),
        ('01936d7e-0000-7000-8000-000000000433', '01936d7e-0000-7000-8000-000000000332', 'PLY-BIRCH-4MM-A3', 'Birch plywood, 4 mm, A3', '{"size": "A3"}', 21900, 2),
        ('01936d7e-0000-7000-8000-000000000434', '01936d7e-0000-7000-8000-000000000333', 'M3X10-SCREWS-100', 'M3 x 10 mm screws, 100 pieces', '{}', 29900, 1)
     ) as variant (id, product, sku, name, options, price, position)
on conflict do nothing;

-- In Bengaluru, Karnataka: orders picked up there are taxed as Karnataka's.
insert into store.stock_locations (id, name, makerspace_id, region) values
    ('01936d7e-0000-7000-8000-000000000701', 'MakrX Demo Space', '01936d7e-0000-7000-8000-000000000101', 'IN-KA')
on conflict do nothing;

-- At the warehouse the red 2.85 mm PLA and the ESP32 are sold out and two Arduinos are left.
insert into store.stock (variant_id, location_id, on_hand)
select v.id, '0193a5c0-0000-7000-8000-000000000001', stock.on_hand
from (values ('PLA-175-BLACK', 40), ('PLA-175-WHITE', 30), ('PLA-175-RED', 15), ('PLA-175-BLUE', 12),
             ('PLA-285-BLACK', 8), ('PLA-285-WHITE', 6), ('PLA-285-RED', 0), ('PLA-285-BLUE', 4),
             ('PETG-175-CLEAR', 20), ('PETG-175-BLACK', 18), ('ARDUINO-UNO-R3', 2), ('ESP32-DEVKIT', 0),
             ('RPI-PICO', 35), ('JUMPER-MM-20CM', 60), ('JUMPER-MM-10CM', 45), ('RESISTOR-KIT-600', 25),
             ('SOLDERING-IRON-60W', 10), ('CALIPERS-150MM', 7), ('HEX-KEY-SET-9', 15), ('ACRYLIC-3MM-A4', 120),
             ('ACRYLIC-3MM-A3', 60), ('PLY-BIRCH-4MM-A4', 80), ('PLY-BIRCH-4MM-A3', 40), ('M3X10-SCREWS-100', 50)
     ) as stock (sku, on_hand)
join store.product_variants v on v.sku = stock.sku
on conflict do nothing;

-- The demo space keeps everyday filament and tools for pickup.
insert into store.stock (variant_id, location_id, on_hand)
select v.id, '01936d7e-0000-7000-8000-000000000701', stock.on_hand
from (values ('PLA-175-BLACK', 10), ('PLA-175-WHITE', 10), ('PETG-175-CLEAR', 5), ('SOLDERING-IRON-60W', 3),
             ('HEX-KEY-SET-9', 4)) as stock (sku, on_hand)
join store.product_variants v on v.sku = stock.sku
on conflict do nothing;

-- Shipping in India and GST on goods (18 %, the rate of most of this catalog), for orders.
insert into store.shipping_rates (currency, price_minor, free_from_minor) values ('INR', 9900, 99900)
on conflict do nothing;
insert into store.tax_rates (region, tax_class, rate_basis_points) values ('IN', 'standard', 1800)
on conflict do nothing;

-- A welcome coupon: 10 % off a first order of 500 rupees or more.
insert into store.coupons (id, code, description, percent_off, currency, min_subtotal_minor,
                           max_uses_per_customer)
values ('01936d7e-0000-7000-8000-000000000801', 'WELCOME10', '10 % off your first order from ₹500',
        10, 'INR', 50000, 1)
on conflict do nothing;
