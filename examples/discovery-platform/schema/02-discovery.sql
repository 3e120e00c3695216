-- Discovery flow tables.
CREATE TABLE discovery_flows (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id      uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id          uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  user_id                uuid REFERENCES users (id) ON DELETE SET NULL,
  flow_name              varchar(255) NOT NULL,
  status                 varchar(30) NOT NULL DEFAULT 'initialized',
  current_phase          varchar(50),
  progress_percentage    numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress_percentage BETWEEN 0 AND 100),
  learning_scope         varchar(50) NOT NULL DEFAULT 'engagement',
  memory_isolation_level varchar(20) NOT NULL DEFAULT 'strict',
  assessment_ready       boolean NOT NULL DEFAULT false,
  phase_state            jsonb NOT NULL DEFAULT '{}',
  agent_state            jsonb NOT NULL DEFAULT '{}',
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_discovery_flows_client ON discovery_flows (client_account_id);
CREATE INDEX idx_discovery_flows_engagement ON discovery_flows (engagement_id);
CREATE INDEX idx_discovery_flows_user ON discovery_flows (user_id);

CREATE TABLE crewai_flow_state_extensions (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  flow_id               uuid NOT NULL UNIQUE REFERENCES discovery_flows (id) ON DELETE CASCADE,
  client_account_id     uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id         uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  user_id               uuid REFERENCES users (id) ON DELETE SET NULL,
  flow_type             varchar(50) NOT NULL,
  flow_name             varchar(255),
  flow_status           varchar(30) NOT NULL DEFAULT 'initialized',
  flow_configuration    jsonb NOT NULL DEFAULT '{}',
  flow_persistence_data jsonb NOT NULL DEFAULT '{}',
  agent_collaboration_log jsonb NOT NULL DEFAULT '[]',
  memory_usage_metrics  jsonb NOT NULL DEFAULT '{}',
  knowledge_base_analytics jsonb NOT NULL DEFAULT '{}',
  phase_execution_times jsonb NOT NULL DEFAULT '{}',
  agent_performance_metrics jsonb NOT NULL DEFAULT '{}',
  crew_coordination_analytics jsonb NOT NULL DEFAULT '{}',
  learning_patterns     jsonb NOT NULL DEFAULT '[]',
  user_feedback_history jsonb NOT NULL DEFAULT '[]',
  parent_flow_id        uuid REFERENCES crewai_flow_state_extensions (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_crewai_client ON crewai_flow_state_extensions (client_account_id);
CREATE INDEX idx_crewai_engagement ON crewai_flow_state_extensions (engagement_id);
CREATE INDEX idx_crewai_user ON crewai_flow_state_extensions (user_id);
CREATE INDEX idx_crewai_parent ON crewai_flow_state_extensions (parent_flow_id);

CREATE TABLE data_import_sessions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  session_name      varchar(255) NOT NULL,
  status            varchar(20) NOT NULL DEFAULT 'active',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_import_sessions_client ON data_import_sessions (client_account_id);
CREATE INDEX idx_import_sessions_engagement ON data_import_sessions (engagement_id);
CREATE INDEX idx_import_sessions_created_by ON data_import_sessions (created_by);

CREATE TABLE data_imports (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id        uuid REFERENCES data_import_sessions (id) ON DELETE CASCADE,
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  discovery_flow_id uuid REFERENCES discovery_flows (id) ON DELETE SET NULL,
  import_name       varchar(255) NOT NULL,
  source_system     varchar(100),
  status            varchar(20) NOT NULL DEFAULT 'pending',
  total_records     integer NOT NULL DEFAULT 0,
  processed_records integer NOT NULL DEFAULT 0,
  failed_records    integer NOT NULL DEFAULT 0,
  error_message     text,
  error_details     jsonb,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_data_imports_session ON data_imports (session_id);
CREATE INDEX idx_data_imports_client ON data_imports (client_account_id);
CREATE INDEX idx_data_imports_engagement ON data_imports (engagement_id);
CREATE INDEX idx_data_imports_flow ON data_imports (discovery_flow_id);

CREATE TABLE raw_import_records (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  data_import_id uuid NOT NULL REFERENCES data_imports (id) ON DELETE CASCADE,
  row_number     integer NOT NULL,
  raw_data       jsonb NOT NULL,
  is_processed   boolean NOT NULL DEFAULT false,
  CONSTRAINT raw_import_records_row_key UNIQUE (data_import_id, row_number)
);

CREATE TABLE import_field_mappings (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  data_import_id uuid NOT NULL REFERENCES data_imports (id) ON DELETE CASCADE,
  source_field   varchar(255) NOT NULL,
  target_field   varchar(255) NOT NULL,
  confidence     numeric(3,2) CHECK (confidence BETWEEN 0 AND 1),
  is_approved    boolean NOT NULL DEFAULT false,
  CONSTRAINT import_field_mappings_key UNIQUE (data_import_id, source_field)
);

CREATE TABLE import_processing_steps (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  data_import_id uuid NOT NULL REFERENCES data_imports (id) ON DELETE CASCADE,
  step_name      varchar(100) NOT NULL,
  step_order     integer NOT NULL,
  status         varchar(20) NOT NULL DEFAULT 'pending',
  started_at     timestamptz,
  finished_at    timestamptz,
  CONSTRAINT import_processing_steps_key UNIQUE (data_import_id, step_order)
);
