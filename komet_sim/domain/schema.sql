-- Komet Sales simulator state. Every domain table carries company_id: a company is a namespace.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL CHECK (json_valid(value)));
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS companies (
  company_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  paid_users INTEGER NOT NULL DEFAULT 1,
  quota_per_user INTEGER NOT NULL DEFAULT 1000,
  profile TEXT NOT NULL DEFAULT 'documented',
  lot_sequence INTEGER NOT NULL DEFAULT 1000,
  created_on TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  username TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'Admin',
  paid INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  token TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('Company', 'Vendor', 'Customer')),
  vendor_id INTEGER,
  customer_id INTEGER,
  user_id INTEGER,
  description TEXT NOT NULL DEFAULT '',
  methods TEXT NOT NULL CHECK (json_valid(methods) AND json_type(methods) = 'array'),
  created_on TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS vendors (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  port_origin TEXT NOT NULL,
  cargo_master_code TEXT,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS vendors_company ON vendors(company_id);

CREATE TABLE IF NOT EXISTS customers (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  accounting_code TEXT,
  mark_code TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  sales_person TEXT,
  sales_person_id INTEGER,
  customer_type TEXT,
  location_id INTEGER,
  updated_on TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_company ON customers(company_id);

CREATE TABLE IF NOT EXISTS products (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  description TEXT NOT NULL,
  category TEXT,
  division_id INTEGER,
  division_description TEXT,
  variety TEXT,
  color TEXT,
  grade TEXT,
  legacy_code TEXT,
  tags TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  unknown INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS products_company ON products(company_id);

CREATE TABLE IF NOT EXISTS boxtypes (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  code TEXT NOT NULL,
  komet_network_name TEXT,
  komet_network_id INTEGER,
  fbe REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS carriers (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  street TEXT, city TEXT, state TEXT, zip_code TEXT, country TEXT, phone TEXT,
  komet_network_name TEXT,
  komet_network_id INTEGER
);

CREATE TABLE IF NOT EXISTS locations (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  name TEXT NOT NULL,
  code TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS purchase_orders (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  number TEXT NOT NULL,
  ship_date TEXT NOT NULL CHECK (date(ship_date) IS ship_date),
  vendor_id INTEGER NOT NULL REFERENCES vendors(id),
  location_id INTEGER REFERENCES locations(id),
  carrier_id INTEGER,
  status TEXT NOT NULL CHECK (status IN ('PA', 'A', 'CF', 'CA')),
  customer_po TEXT,
  comments TEXT NOT NULL DEFAULT '',
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS po_company_date ON purchase_orders(company_id, ship_date);
CREATE INDEX IF NOT EXISTS po_company_number ON purchase_orders(company_id, number);

CREATE TABLE IF NOT EXISTS po_items (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  po_id INTEGER NOT NULL REFERENCES purchase_orders(id),
  product_id INTEGER REFERENCES products(id),
  product_description TEXT NOT NULL,
  box_type_id INTEGER REFERENCES boxtypes(id),
  total_boxes INTEGER NOT NULL CHECK (total_boxes >= 0),
  quantity_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (quantity_confirmed >= 0),
  unit_type TEXT NOT NULL DEFAULT 'Stem',
  units INTEGER NOT NULL,
  bunches INTEGER NOT NULL,
  stems_bunch INTEGER NOT NULL,
  unit_cost REAL NOT NULL DEFAULT 0,
  mark_code TEXT,
  notes TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('P', 'PC', 'C', 'S', 'X')),
  order_type TEXT NOT NULL DEFAULT 'P',
  standing_order TEXT,
  prebook TEXT,
  prebook_item_id INTEGER,
  prebook_truck_date TEXT,
  customer_id INTEGER REFERENCES customers(id),
  carrier_id INTEGER,
  reference_number TEXT,
  custom_field1 TEXT,
  awb_id INTEGER,
  house_awb TEXT,
  lot_number TEXT,
  split_from INTEGER,
  ecommerce_pending INTEGER NOT NULL DEFAULT 0,
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL,
  CHECK (quantity_confirmed <= total_boxes)
);
CREATE INDEX IF NOT EXISTS po_items_po ON po_items(po_id);
CREATE INDEX IF NOT EXISTS po_items_awb ON po_items(awb_id);

CREATE TABLE IF NOT EXISTS breakdowns (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL,
  po_item_id INTEGER NOT NULL REFERENCES po_items(id),
  product_id INTEGER,
  product_description TEXT NOT NULL,
  bunches INTEGER NOT NULL,
  stems_bunch INTEGER NOT NULL,
  cost REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS breakdowns_item ON breakdowns(po_item_id);

CREATE TABLE IF NOT EXISTS custom_fields (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL,
  po_item_id INTEGER NOT NULL REFERENCES po_items(id),
  custom_field_id INTEGER NOT NULL,
  custom_field_value_id INTEGER NOT NULL,
  field_name TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS custom_fields_item ON custom_fields(po_item_id);

CREATE TABLE IF NOT EXISTS awbs (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  awb TEXT NOT NULL,
  awb_digits TEXT NOT NULL,
  origin TEXT NOT NULL,
  ship_date TEXT NOT NULL CHECK (date(ship_date) IS ship_date),
  arrival_date TEXT NOT NULL CHECK (date(arrival_date) IS arrival_date),
  location_code TEXT,
  created_on TEXT NOT NULL,
  UNIQUE (company_id, awb_digits)
);

CREATE TABLE IF NOT EXISTS boxes (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  code TEXT NOT NULL,
  po_item_id INTEGER NOT NULL REFERENCES po_items(id),
  awb_id INTEGER NOT NULL REFERENCES awbs(id),
  house_awb TEXT,
  lot_number TEXT NOT NULL,
  status_id INTEGER NOT NULL DEFAULT 1,
  position TEXT,
  location_id INTEGER,
  external_code TEXT,
  shipped_on TEXT NOT NULL,
  received_on TEXT
);
-- A box code is unique per vendor of a company (K8), checked by the domain: not a UNIQUE constraint.
CREATE INDEX IF NOT EXISTS boxes_code ON boxes(company_id, code);
CREATE INDEX IF NOT EXISTS boxes_item ON boxes(po_item_id);
CREATE INDEX IF NOT EXISTS boxes_awb ON boxes(awb_id);

CREATE TABLE IF NOT EXISTS quota (
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  day TEXT NOT NULL,
  calls INTEGER NOT NULL,
  PRIMARY KEY (company_id, day)
);

-- A vendor's own sign-in to Komet's vendor portal (K24). A vendor login is known by its username; every
-- importer that links the vendor holds its own row, tying the login to its vendor record, so an importer's
-- reset or export takes only its own link.
CREATE TABLE IF NOT EXISTS vendor_users (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  vendor_id INTEGER NOT NULL REFERENCES vendors(id),
  username TEXT NOT NULL,
  password TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (company_id, username),
  UNIQUE (company_id, vendor_id)
);
CREATE INDEX IF NOT EXISTS vendor_users_username ON vendor_users(username);

-- K25: the tokens a vendor made itself in its portal (every other token is the importer's): which login made
-- it, and when the vendor sent it to the importer.
CREATE TABLE IF NOT EXISTS vendor_made_tokens (
  token_id INTEGER PRIMARY KEY REFERENCES tokens(id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  made_by TEXT NOT NULL,
  sent_on TEXT
);

-- K27: every confirmation of a line, who made it and where: in the vendor portal (a vendor's login) or through
-- the API (a token; its description and maker kept here, since a token may be deleted later).
CREATE TABLE IF NOT EXISTS confirmations (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  po_item_id INTEGER NOT NULL REFERENCES po_items(id),
  previous INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('api', 'portal')),
  caller_type TEXT NOT NULL,
  login TEXT,
  token_id INTEGER,
  token_description TEXT,
  token_made_by TEXT,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_item ON confirmations(po_item_id);

-- K28: fields a recording of a real Komet showed that kasim does not model (kasim import), kept as recorded and
-- returned in replies beside the modelled ones. `entity` names the table of the row the fields belong to.
CREATE TABLE IF NOT EXISTS recorded_extras (
  company_id INTEGER NOT NULL REFERENCES companies(company_id),
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  fields TEXT NOT NULL,
  PRIMARY KEY (company_id, entity, entity_id)
);
