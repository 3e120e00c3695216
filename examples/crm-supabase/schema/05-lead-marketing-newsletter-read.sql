-- lead: lead capture and scoring.
CREATE TABLE lead.lead_sources (
  id   smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code varchar(30) NOT NULL UNIQUE,
  name varchar(100) NOT NULL
);

CREATE TABLE lead.leads (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id  uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  source_id   smallint NOT NULL REFERENCES lead.lead_sources (id),
  assigned_to uuid REFERENCES public.users (id) ON DELETE SET NULL,
  status      varchar(12) NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
  name        varchar(200) NOT NULL,
  email_hash  varchar(64),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_leads_station ON lead.leads (station_id);
CREATE INDEX idx_leads_source ON lead.leads (source_id);
CREATE INDEX idx_leads_assigned ON lead.leads (assigned_to);
CREATE INDEX idx_leads_status ON lead.leads (status, created_at);

CREATE TABLE lead.lead_activities (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id    uuid NOT NULL REFERENCES lead.leads (id) ON DELETE CASCADE,
  kind       varchar(20) NOT NULL CHECK (kind IN ('call', 'email', 'sms', 'meeting', 'note')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_lead_activities_lead ON lead.lead_activities (lead_id);

CREATE TABLE lead.lead_notes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id    uuid NOT NULL REFERENCES lead.leads (id) ON DELETE CASCADE,
  author_id  uuid NOT NULL REFERENCES public.users (id) ON DELETE RESTRICT,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_lead_notes_lead ON lead.lead_notes (lead_id);
CREATE INDEX idx_lead_notes_author ON lead.lead_notes (author_id);

-- The table seed 001 found missing (its "Optional Enhancement").
CREATE TABLE lead.lead_scores (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lead_id       uuid NOT NULL REFERENCES lead.leads (id),
  score         integer NOT NULL CHECK (score >= 0 AND score <= 100),
  confidence    numeric(3,2) CHECK (confidence >= 0 AND confidence <= 1),
  factors       jsonb NOT NULL,
  calculated_at timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  model_version varchar(50) NOT NULL
);
CREATE INDEX idx_lead_scores_lead ON lead.lead_scores (lead_id);

-- marketing: campaigns and QR tracking.
CREATE TABLE marketing.campaigns (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE CASCADE,
  name       varchar(100) NOT NULL,
  starts_on  date NOT NULL,
  ends_on    date,
  CONSTRAINT campaigns_dates CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX idx_campaigns_station ON marketing.campaigns (station_id);

CREATE TABLE marketing.qr_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES marketing.campaigns (id) ON DELETE CASCADE,
  code        varchar(20) NOT NULL UNIQUE,
  target_url  text NOT NULL
);
CREATE INDEX idx_qr_codes_campaign ON marketing.qr_codes (campaign_id);

CREATE TABLE marketing.qr_scans (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  qr_code_id uuid NOT NULL REFERENCES marketing.qr_codes (id) ON DELETE CASCADE,
  scanned_at timestamptz NOT NULL DEFAULT now(),
  user_agent text
);
CREATE INDEX idx_qr_scans_code ON marketing.qr_scans (qr_code_id, scanned_at);

CREATE TABLE marketing.campaign_metrics (
  campaign_id uuid NOT NULL REFERENCES marketing.campaigns (id) ON DELETE CASCADE,
  day         date NOT NULL,
  scans       integer NOT NULL DEFAULT 0,
  bookings    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, day)
);

-- newsletter.
CREATE TABLE newsletter.subscribers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email_hash      varchar(64) NOT NULL UNIQUE,
  email_encrypted text NOT NULL,
  opted_in_at     timestamptz NOT NULL DEFAULT now(),
  opted_out_at    timestamptz
);

CREATE TABLE newsletter.newsletters (
  id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject varchar(200) NOT NULL,
  body    text NOT NULL,
  sent_at timestamptz
);

CREATE TABLE newsletter.deliveries (
  newsletter_id uuid NOT NULL REFERENCES newsletter.newsletters (id) ON DELETE CASCADE,
  subscriber_id uuid NOT NULL REFERENCES newsletter.subscribers (id) ON DELETE CASCADE,
  delivered_at  timestamptz,
  opened_at     timestamptz,
  PRIMARY KEY (newsletter_id, subscriber_id)
);
CREATE INDEX idx_deliveries_subscriber ON newsletter.deliveries (subscriber_id);

-- read: projections for dashboards.
CREATE TABLE read.booking_summaries (
  station_id     uuid NOT NULL REFERENCES identity.stations (id) ON DELETE CASCADE,
  day            date NOT NULL,
  bookings       integer NOT NULL DEFAULT 0,
  revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (station_id, day)
);

CREATE TABLE read.customer_dashboard (
  customer_id    uuid PRIMARY KEY REFERENCES core.customers (id) ON DELETE CASCADE,
  bookings       integer NOT NULL DEFAULT 0,
  last_booking   date,
  lifetime_cents bigint NOT NULL DEFAULT 0
);
