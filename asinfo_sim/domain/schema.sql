-- ASINFO grower portal state. Every domain table carries account_id: a grower account is a namespace.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL CHECK (json_valid(value)));
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS accounts (
  account_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  farm_code TEXT NOT NULL,
  country TEXT NOT NULL,
  origin TEXT NOT NULL,
  box_code_pattern TEXT NOT NULL,
  box_sequence INTEGER NOT NULL DEFAULT 0,
  lot_sequence INTEGER NOT NULL DEFAULT 100000,
  created_on TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS connections (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  komet_url TEXT NOT NULL,
  token TEXT NOT NULL,
  company_id INTEGER NOT NULL,
  customer_id TEXT,
  sync_days INTEGER NOT NULL DEFAULT 7,
  background INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'untested',
  status_message TEXT NOT NULL DEFAULT '',
  tested_on TEXT,
  last_sync_on TEXT CHECK (last_sync_on IS NULL OR strftime('%Y-%m-%dT%H:%M:%S', last_sync_on) IS last_sync_on),
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  connection_id INTEGER NOT NULL REFERENCES connections(id),
  komet_po_id INTEGER NOT NULL,
  number TEXT NOT NULL,
  ship_date TEXT NOT NULL CHECK (date(ship_date) IS ship_date),
  vendor_id INTEGER,
  vendor_name TEXT,
  origin TEXT,
  location_name TEXT,
  komet_status TEXT NOT NULL,
  comments TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'cancelled', 'missing')),
  komet_updated_on TEXT,
  first_seen TEXT NOT NULL,
  last_synced TEXT NOT NULL,
  UNIQUE (connection_id, komet_po_id)
);
CREATE INDEX IF NOT EXISTS orders_account_date ON orders(account_id, ship_date);

CREATE TABLE IF NOT EXISTS lines (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  connection_id INTEGER NOT NULL REFERENCES connections(id),
  order_id INTEGER NOT NULL REFERENCES orders(id),
  komet_item_id INTEGER NOT NULL,
  product_id INTEGER,
  product TEXT NOT NULL,
  box_type TEXT,
  ordered INTEGER NOT NULL,
  unit_type TEXT,
  units INTEGER,
  bunches INTEGER NOT NULL DEFAULT 0,
  stems_bunch INTEGER NOT NULL DEFAULT 0,
  mark_code TEXT,
  customer_name TEXT,
  notes TEXT NOT NULL DEFAULT '',
  komet_status TEXT NOT NULL,
  komet_confirmed INTEGER NOT NULL DEFAULT 0,
  confirmed INTEGER,
  confirm_state TEXT NOT NULL DEFAULT 'none'
    CHECK (confirm_state IN ('none', 'pending', 'sent', 'accepted', 'refused')),
  confirm_message TEXT NOT NULL DEFAULT '',
  shipped INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  split_from INTEGER,
  -- when ASINFO last wrote what Komet holds for this line (world sequence "write"): a sync whose read of
  -- Komet began before it must not apply that older read over it
  written INTEGER NOT NULL DEFAULT 0,
  updated_on TEXT NOT NULL,
  UNIQUE (connection_id, komet_item_id),
  CHECK (confirmed IS NULL OR (confirmed >= 0 AND confirmed <= ordered))
);
CREATE INDEX IF NOT EXISTS lines_order ON lines(order_id);

CREATE TABLE IF NOT EXISTS awb_stock (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  prefix TEXT NOT NULL,
  first_serial INTEGER NOT NULL,
  count INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS awbs (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  connection_id INTEGER NOT NULL REFERENCES connections(id),
  number TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hawb TEXT,
  cargo_agency TEXT,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  ship_date TEXT NOT NULL CHECK (date(ship_date) IS ship_date),
  created_on TEXT NOT NULL,
  UNIQUE (account_id, number)
);

CREATE TABLE IF NOT EXISTS boxes (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  awb_id INTEGER NOT NULL REFERENCES awbs(id),
  line_id INTEGER NOT NULL REFERENCES lines(id),
  code TEXT NOT NULL,
  lot_number TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'assigned' CHECK (state IN ('assigned', 'queued', 'shipped')),
  prints INTEGER NOT NULL DEFAULT 0,
  komet_code TEXT,
  created_on TEXT NOT NULL,
  UNIQUE (account_id, code)
);
CREATE INDEX IF NOT EXISTS boxes_awb ON boxes(awb_id);
CREATE INDEX IF NOT EXISTS boxes_line ON boxes(line_id);

-- Every print (never a preview): when, in which format, which boxes, and which of them were reprints.
CREATE TABLE IF NOT EXISTS print_jobs (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  at TEXT NOT NULL,
  format TEXT NOT NULL,
  what TEXT NOT NULL,
  box_codes TEXT NOT NULL,
  reprinted TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS shipments (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  awb_id INTEGER NOT NULL REFERENCES awbs(id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'shipped', 'partial', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS shipment_lines (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  line_id INTEGER NOT NULL REFERENCES lines(id),
  komet_item_id INTEGER NOT NULL,
  box_codes TEXT NOT NULL CHECK (json_valid(box_codes) AND json_type(box_codes) = 'array'),
  lot_number TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'shipped', 'refused')),
  message TEXT NOT NULL DEFAULT '',
  new_komet_item_id INTEGER,
  reconciled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS shipment_lines_shipment ON shipment_lines(shipment_id);

CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  connection_id INTEGER NOT NULL REFERENCES connections(id),
  kind TEXT NOT NULL CHECK (kind IN ('confirm', 'ship', 'box_code', 'delete')),
  ref_id INTEGER NOT NULL,
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'refused', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_on TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%S', next_attempt_on) IS next_attempt_on),
  last_error TEXT NOT NULL DEFAULT '',
  -- an attempt ended without an answer (timeout, reset): Komet may have applied it, perhaps later still
  in_doubt INTEGER NOT NULL DEFAULT 0,
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_on);

CREATE TABLE IF NOT EXISTS sync_log (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  connection_id INTEGER NOT NULL REFERENCES connections(id),
  started_on TEXT NOT NULL,
  ship_dates TEXT NOT NULL CHECK (json_valid(ship_dates) AND json_type(ship_dates) = 'array'),
  result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
  counts TEXT NOT NULL CHECK (json_valid(counts) AND json_type(counts) = 'object'),
  changes TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'array'),
  error TEXT NOT NULL DEFAULT '',
  trigger TEXT NOT NULL DEFAULT 'manual'
);
