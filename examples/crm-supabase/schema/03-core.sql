-- core: customers (encrypted PII, soft delete), bookings, messaging, chefs, reviews.
CREATE TABLE core.customers (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id        uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  first_name        varchar(100) NOT NULL,
  last_name         varchar(100) NOT NULL,
  email_encrypted   text NOT NULL,
  email_hash        varchar(64) NOT NULL,
  phone_encrypted   text,
  address_encrypted text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz
);
-- Unique per station among live rows only (soft delete aware).
CREATE UNIQUE INDEX uq_customers_station_email ON core.customers (station_id, email_hash) WHERE deleted_at IS NULL;
CREATE INDEX idx_customers_deleted ON core.customers (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE core.chefs (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  user_id    uuid REFERENCES public.users (id) ON DELETE SET NULL,
  name       varchar(100) NOT NULL,
  is_active  boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_chefs_station ON core.chefs (station_id);
CREATE INDEX idx_chefs_user ON core.chefs (user_id);

CREATE TABLE core.chef_availability (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chef_id    uuid NOT NULL REFERENCES core.chefs (id) ON DELETE CASCADE,
  day        date NOT NULL,
  starts_at  time NOT NULL,
  ends_at    time NOT NULL,
  CONSTRAINT chef_availability_window CHECK (ends_at > starts_at),
  CONSTRAINT chef_availability_unique UNIQUE (chef_id, day, starts_at)
);

CREATE TABLE core.bookings (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id        uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  customer_id       uuid NOT NULL REFERENCES core.customers (id) ON DELETE RESTRICT,
  chef_id           uuid REFERENCES core.chefs (id) ON DELETE SET NULL,
  date              date NOT NULL,
  party_adults      integer NOT NULL CHECK (party_adults > 0),
  party_kids        integer NOT NULL DEFAULT 0 CHECK (party_kids >= 0),
  status            varchar(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'completed', 'cancelled')),
  deposit_due_cents integer NOT NULL DEFAULT 0 CHECK (deposit_due_cents >= 0),
  total_due_cents   integer NOT NULL DEFAULT 0,
  payment_status    varchar(20) NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid', 'deposit_paid', 'paid', 'refunded')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  CONSTRAINT bookings_total_covers_deposit CHECK (total_due_cents >= deposit_due_cents)
);
CREATE INDEX idx_bookings_customer ON core.bookings (customer_id);
CREATE INDEX idx_bookings_date ON core.bookings (date);
CREATE INDEX idx_bookings_station ON core.bookings (station_id);
CREATE INDEX idx_bookings_chef ON core.bookings (chef_id);
CREATE INDEX idx_bookings_active ON core.bookings (station_id, date) WHERE deleted_at IS NULL;
ALTER TABLE public.payments ADD CONSTRAINT payments_booking_fk FOREIGN KEY (booking_id) REFERENCES core.bookings (id) ON DELETE RESTRICT;
CREATE INDEX idx_payments_booking ON public.payments (booking_id);
ALTER TABLE public.invoices ADD CONSTRAINT invoices_booking_fk FOREIGN KEY (booking_id) REFERENCES core.bookings (id) ON DELETE RESTRICT;
CREATE INDEX idx_invoices_booking ON public.invoices (booking_id);

CREATE TABLE core.booking_menu_items (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES core.bookings (id) ON DELETE CASCADE,
  item       varchar(100) NOT NULL,
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_cents integer NOT NULL CHECK (unit_cents >= 0)
);
CREATE INDEX idx_menu_items_booking ON core.booking_menu_items (booking_id);

CREATE TABLE core.message_threads (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id        uuid NOT NULL REFERENCES core.customers (id) ON DELETE RESTRICT,
  channel            varchar(8) NOT NULL CHECK (channel IN ('sms', 'email', 'web', 'social')),
  external_thread_id varchar(255),
  status             varchar(9) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed', 'escalated')),
  assigned_agent_id  uuid REFERENCES public.users (id) ON DELETE SET NULL,
  ai_mode            boolean NOT NULL DEFAULT false,
  last_message_at    timestamptz NOT NULL DEFAULT now(),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz,
  station_id         uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT
);
CREATE INDEX idx_threads_customer ON core.message_threads (customer_id);
CREATE INDEX idx_threads_agent ON core.message_threads (assigned_agent_id);
CREATE INDEX idx_threads_station ON core.message_threads (station_id);

CREATE TABLE core.messages (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  thread_id  uuid NOT NULL REFERENCES core.message_threads (id) ON DELETE CASCADE,
  direction  varchar(8) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  body       text NOT NULL,
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_messages_thread ON core.messages (thread_id, created_at);

CREATE TABLE core.reviews (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id  uuid NOT NULL REFERENCES core.bookings (id) ON DELETE CASCADE,
  rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body        text,
  approved    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_reviews_booking ON core.reviews (booking_id);

CREATE TABLE core.social_threads (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  thread_id   uuid NOT NULL REFERENCES core.message_threads (id) ON DELETE CASCADE,
  platform    varchar(20) NOT NULL CHECK (platform IN ('instagram', 'facebook', 'google', 'yelp')),
  external_id varchar(255) NOT NULL,
  CONSTRAINT social_threads_platform_external_key UNIQUE (platform, external_id)
);
CREATE INDEX idx_social_threads_thread ON core.social_threads (thread_id);

-- Multi-tenant isolation (seed 001 §Security): each station sees its own rows.
ALTER TABLE core.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.message_threads ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity.station_audit_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY customers_station ON core.customers TO authenticated
  USING (station_id = (current_setting('app.station_id', true))::uuid);
CREATE POLICY bookings_station ON core.bookings TO authenticated
  USING (station_id = (current_setting('app.station_id', true))::uuid);
CREATE POLICY threads_station ON core.message_threads TO authenticated
  USING (station_id = (current_setting('app.station_id', true))::uuid);
CREATE POLICY station_audit_read ON identity.station_audit_logs FOR SELECT TO authenticated
  USING (station_id = (current_setting('app.station_id', true))::uuid);
