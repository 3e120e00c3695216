-- public: users (12 columns, RBAC ready), migration tracking, audit, billing.
CREATE TABLE public.users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               varchar(255) NOT NULL,
  password_hash       varchar(255) NOT NULL,
  first_name          varchar(100) NOT NULL,
  last_name           varchar(100) NOT NULL,
  phone               varchar(20),
  role                public.user_role NOT NULL DEFAULT 'CUSTOMER_SUPPORT',
  is_active           boolean NOT NULL DEFAULT true,
  is_verified         boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  assigned_station_id uuid,
  CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX idx_users_role ON public.users (role);

CREATE TABLE public.alembic_version (
  version_num varchar(32) PRIMARY KEY
);

CREATE TABLE public.audit_logs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     uuid REFERENCES public.users (id) ON DELETE RESTRICT,
  action      public.audit_action NOT NULL,
  entity_type varchar(50) NOT NULL,
  entity_id   uuid,
  old_values  jsonb,
  new_values  jsonb,
  ip_address  inet,
  reason      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_logs_user ON public.audit_logs (user_id);
CREATE INDEX idx_audit_logs_entity ON public.audit_logs (entity_type, entity_id);

CREATE TABLE identity.stations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code       varchar(20) NOT NULL,
  name       varchar(100) NOT NULL,
  status     varchar(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
  timezone   varchar(50) NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stations_code_key UNIQUE (code)
);
CREATE INDEX idx_stations_status ON identity.stations (status);
ALTER TABLE public.users ADD CONSTRAINT users_assigned_station_fk FOREIGN KEY (assigned_station_id) REFERENCES identity.stations (id) ON DELETE SET NULL;
CREATE INDEX idx_users_assigned_station ON public.users (assigned_station_id);

CREATE TABLE identity.station_users (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE CASCADE,
  role       public.user_role NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT station_users_user_station_key UNIQUE (user_id, station_id)
);
CREATE INDEX idx_station_users_station ON identity.station_users (station_id);

CREATE TABLE identity.station_access_tokens (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE CASCADE,
  token_hash varchar(128) NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_station_tokens_station ON identity.station_access_tokens (station_id);

CREATE TABLE identity.station_audit_logs (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  user_id    uuid REFERENCES public.users (id) ON DELETE RESTRICT,
  action     public.audit_action NOT NULL,
  details    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_station_audit_station ON identity.station_audit_logs (station_id);
CREATE INDEX idx_station_audit_user ON identity.station_audit_logs (user_id);

CREATE TABLE identity.user_sessions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  token_hash varchar(128) NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_user_sessions_user ON identity.user_sessions (user_id);

CREATE TABLE public.payments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id   uuid NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  currency     char(3) NOT NULL DEFAULT 'USD',
  status       varchar(20) NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  stripe_payment_intent varchar(255) UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.invoices (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id  uuid NOT NULL,
  number      varchar(30) NOT NULL UNIQUE,
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  paid_at     timestamptz
);

CREATE TABLE public.refunds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id   uuid NOT NULL REFERENCES public.payments (id) ON DELETE RESTRICT,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  reason       text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_refunds_payment ON public.refunds (payment_id);
