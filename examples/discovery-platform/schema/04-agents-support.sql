-- Agent and AI tables, supporting tables.
CREATE TABLE agent_questions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  flow_id           uuid REFERENCES discovery_flows (id) ON DELETE CASCADE,
  agent_name        varchar(100) NOT NULL,
  question          text NOT NULL,
  answer            text,
  answered_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_questions_client ON agent_questions (client_account_id);
CREATE INDEX idx_agent_questions_engagement ON agent_questions (engagement_id);
CREATE INDEX idx_agent_questions_flow ON agent_questions (flow_id);
CREATE INDEX idx_agent_questions_answered_by ON agent_questions (answered_by);

CREATE TABLE agent_insights (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  flow_id           uuid REFERENCES discovery_flows (id) ON DELETE CASCADE,
  insight_type      varchar(50) NOT NULL,
  content           jsonb NOT NULL,
  confidence        numeric(3,2) CHECK (confidence BETWEEN 0 AND 1),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_insights_client ON agent_insights (client_account_id);
CREATE INDEX idx_agent_insights_engagement ON agent_insights (engagement_id);
CREATE INDEX idx_agent_insights_flow ON agent_insights (flow_id);

CREATE TABLE data_items (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  item_type         varchar(50) NOT NULL,
  data              jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_data_items_client ON data_items (client_account_id);
CREATE INDEX idx_data_items_engagement ON data_items (engagement_id);

CREATE TABLE llm_usage_log (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_account_id uuid REFERENCES client_accounts (id) ON DELETE SET NULL,
  engagement_id     uuid REFERENCES engagements (id) ON DELETE SET NULL,
  user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
  model             varchar(100) NOT NULL,
  prompt_tokens     integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  cost_usd          numeric(12,6) NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_llm_usage_client ON llm_usage_log (client_account_id, created_at);
CREATE INDEX idx_llm_usage_engagement ON llm_usage_log (engagement_id);
CREATE INDEX idx_llm_usage_user ON llm_usage_log (user_id);

CREATE TABLE llm_usage_summary (
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  day               date NOT NULL,
  model             varchar(100) NOT NULL,
  total_tokens      bigint NOT NULL DEFAULT 0,
  total_cost_usd    numeric(14,6) NOT NULL DEFAULT 0,
  PRIMARY KEY (client_account_id, day, model)
);

CREATE TABLE feedback (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid REFERENCES client_accounts (id) ON DELETE SET NULL,
  user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
  page              varchar(255),
  rating            smallint CHECK (rating BETWEEN 1 AND 5),
  comment           text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_feedback_client ON feedback (client_account_id);
CREATE INDEX idx_feedback_user ON feedback (user_id);

CREATE TABLE flow_deletion_audit (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flow_id           uuid NOT NULL,
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE RESTRICT,
  deleted_by        uuid REFERENCES users (id) ON DELETE RESTRICT,
  reason            text,
  snapshot          jsonb NOT NULL,
  deleted_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_flow_deletion_client ON flow_deletion_audit (client_account_id);
CREATE INDEX idx_flow_deletion_deleted_by ON flow_deletion_audit (deleted_by);

CREATE TABLE security_audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     uuid REFERENCES users (id) ON DELETE RESTRICT,
  event_type  varchar(50) NOT NULL,
  ip_address  inet,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_security_audit_user ON security_audit_log (user_id);

CREATE TABLE role_change_approval (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  requested_role varchar(30) NOT NULL CHECK (requested_role IN ('PLATFORM_ADMIN', 'CLIENT_ADMIN', 'ENGAGEMENT_MANAGER', 'ANALYST', 'VIEWER')),
  requested_by   uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  approved_by    uuid REFERENCES users (id) ON DELETE RESTRICT,
  status         varchar(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT role_change_not_self_approved CHECK (approved_by IS NULL OR approved_by <> requested_by)
);
CREATE INDEX idx_role_change_user ON role_change_approval (user_id);
CREATE INDEX idx_role_change_requested_by ON role_change_approval (requested_by);
CREATE INDEX idx_role_change_approved_by ON role_change_approval (approved_by);
