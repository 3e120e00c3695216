-- feedback: review automation and incentives.
CREATE TABLE feedback.customer_reviews (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id  uuid NOT NULL REFERENCES identity.stations (id) ON DELETE RESTRICT,
  booking_id  uuid NOT NULL REFERENCES core.bookings (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
  rating      feedback.review_rating NOT NULL,
  status      feedback.review_status NOT NULL DEFAULT 'pending',
  comment     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customer_reviews_booking_key UNIQUE (booking_id)
);
CREATE INDEX idx_customer_reviews_station ON feedback.customer_reviews (station_id);
CREATE INDEX idx_customer_reviews_customer ON feedback.customer_reviews (customer_id);

CREATE TABLE feedback.discount_coupons (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code           varchar(30) NOT NULL UNIQUE,
  review_id      uuid REFERENCES feedback.customer_reviews (id) ON DELETE SET NULL,
  percent_off    smallint NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  expires_at     timestamptz NOT NULL,
  redeemed_at    timestamptz
);
CREATE INDEX idx_coupons_review ON feedback.discount_coupons (review_id);

CREATE TABLE feedback.review_responses (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id  uuid NOT NULL REFERENCES feedback.customer_reviews (id) ON DELETE CASCADE,
  author_id  uuid NOT NULL REFERENCES public.users (id) ON DELETE RESTRICT,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_review_responses_review ON feedback.review_responses (review_id);
CREATE INDEX idx_review_responses_author ON feedback.review_responses (author_id);

-- events: domain events and the transactional outbox.
CREATE TABLE events.domain_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  aggregate_type varchar(50) NOT NULL,
  aggregate_id   uuid NOT NULL,
  event_type     varchar(100) NOT NULL,
  payload        jsonb NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_domain_events_aggregate ON events.domain_events (aggregate_type, aggregate_id);

CREATE TABLE events.outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     bigint NOT NULL REFERENCES events.domain_events (id) ON DELETE CASCADE,
  destination  varchar(100) NOT NULL,
  status       varchar(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  next_attempt timestamptz
);
CREATE INDEX idx_outbox_event ON events.outbox (event_id);
CREATE INDEX idx_outbox_pending ON events.outbox (next_attempt) WHERE status = 'pending';

CREATE TABLE events.event_subscriptions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_type  varchar(100) NOT NULL,
  handler     varchar(100) NOT NULL,
  is_active   boolean NOT NULL DEFAULT true,
  CONSTRAINT event_subscriptions_key UNIQUE (event_type, handler)
);

CREATE TABLE events.webhooks_received (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source      varchar(30) NOT NULL,
  external_id varchar(255) NOT NULL,
  payload     jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhooks_received_source_external_key UNIQUE (source, external_id)
);

-- integra: third-party integrations.
CREATE TABLE integra.integrations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES identity.stations (id) ON DELETE CASCADE,
  provider   varchar(30) NOT NULL,
  is_enabled boolean NOT NULL DEFAULT true,
  settings   jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT integrations_station_provider_key UNIQUE (station_id, provider)
);

CREATE TABLE integra.oauth_tokens (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  integration_id          uuid NOT NULL REFERENCES integra.integrations (id) ON DELETE CASCADE,
  access_token_encrypted  text NOT NULL,
  refresh_token_encrypted text,
  expires_at              timestamptz NOT NULL
);
CREATE INDEX idx_oauth_tokens_integration ON integra.oauth_tokens (integration_id);

CREATE TABLE integra.sync_jobs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  integration_id uuid NOT NULL REFERENCES integra.integrations (id) ON DELETE CASCADE,
  status         varchar(12) NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  started_at     timestamptz,
  finished_at    timestamptz
);
CREATE INDEX idx_sync_jobs_integration ON integra.sync_jobs (integration_id);

CREATE TABLE integra.sync_errors (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sync_job_id uuid NOT NULL REFERENCES integra.sync_jobs (id) ON DELETE CASCADE,
  message     text NOT NULL,
  details     jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_sync_errors_job ON integra.sync_errors (sync_job_id);
