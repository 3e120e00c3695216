-- Asset and analysis tables.
CREATE TABLE assets (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  discovery_flow_id uuid REFERENCES discovery_flows (id) ON DELETE SET NULL,
  name              varchar(255) NOT NULL,
  asset_type        varchar(50) NOT NULL,
  environment       varchar(50),
  criticality       varchar(20),
  attributes        jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_assets_client ON assets (client_account_id);
CREATE INDEX idx_assets_engagement ON assets (engagement_id);
CREATE INDEX idx_assets_flow ON assets (discovery_flow_id);

CREATE TABLE asset_dependencies (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id            uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  depends_on_asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  dependency_type     varchar(50) NOT NULL,
  CONSTRAINT asset_dependencies_key UNIQUE (asset_id, depends_on_asset_id),
  CONSTRAINT asset_dependencies_not_self CHECK (asset_id <> depends_on_asset_id)
);
CREATE INDEX idx_asset_dependencies_target ON asset_dependencies (depends_on_asset_id);

CREATE TABLE assessments (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  asset_id          uuid REFERENCES assets (id) ON DELETE CASCADE,
  status            varchar(20) NOT NULL DEFAULT 'draft',
  results           jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_assessments_client ON assessments (client_account_id);
CREATE INDEX idx_assessments_engagement ON assessments (engagement_id);
CREATE INDEX idx_assessments_asset ON assessments (asset_id);

CREATE TABLE migration_waves (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  wave_number       integer NOT NULL CHECK (wave_number > 0),
  name              varchar(255) NOT NULL,
  planned_start     date,
  planned_end       date,
  CONSTRAINT migration_waves_key UNIQUE (engagement_id, wave_number)
);
CREATE INDEX idx_migration_waves_client ON migration_waves (client_account_id);

CREATE TABLE wave_plans (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  wave_id           uuid REFERENCES migration_waves (id) ON DELETE SET NULL,
  plan              jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_wave_plans_client ON wave_plans (client_account_id);
CREATE INDEX idx_wave_plans_engagement ON wave_plans (engagement_id);
CREATE INDEX idx_wave_plans_wave ON wave_plans (wave_id);

CREATE TABLE migrations (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  asset_id          uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  wave_id           uuid REFERENCES migration_waves (id) ON DELETE SET NULL,
  strategy          varchar(20) NOT NULL CHECK (strategy IN ('rehost', 'replatform', 'refactor', 'repurchase', 'retire', 'retain')),
  status            varchar(20) NOT NULL DEFAULT 'planned',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_migrations_client ON migrations (client_account_id);
CREATE INDEX idx_migrations_engagement ON migrations (engagement_id);
CREATE INDEX idx_migrations_asset ON migrations (asset_id);
CREATE INDEX idx_migrations_wave ON migrations (wave_id);

CREATE TABLE sixr_analysis (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  asset_id          uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  recommendation    varchar(20) NOT NULL,
  confidence        numeric(3,2) CHECK (confidence BETWEEN 0 AND 1),
  rationale         text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_sixr_client ON sixr_analysis (client_account_id);
CREATE INDEX idx_sixr_engagement ON sixr_analysis (engagement_id);
CREATE INDEX idx_sixr_asset ON sixr_analysis (asset_id);

CREATE TABLE cmdb_sixr_analysis (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  cmdb_ci_id        varchar(100) NOT NULL,
  recommendation    varchar(20) NOT NULL,
  analysis          jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT cmdb_sixr_key UNIQUE (engagement_id, cmdb_ci_id)
);
CREATE INDEX idx_cmdb_sixr_client ON cmdb_sixr_analysis (client_account_id);

CREATE TABLE tags (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  name              varchar(100) NOT NULL,
  CONSTRAINT tags_client_name_key UNIQUE (client_account_id, name)
);

CREATE TABLE asset_tags (
  asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  tag_id   uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (asset_id, tag_id)
);
CREATE INDEX idx_asset_tags_tag ON asset_tags (tag_id);
