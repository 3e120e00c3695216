-- Seed 002: the multi-tenant discovery platform, 32 tables (31 + alembic_version).
-- Core multi-tenant tables.
CREATE TABLE client_accounts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              varchar(255) NOT NULL,
  code              varchar(50) NOT NULL UNIQUE,
  subscription_tier varchar(20) NOT NULL DEFAULT 'standard' CHECK (subscription_tier IN ('free', 'standard', 'premium', 'enterprise')),
  is_active         boolean NOT NULL DEFAULT true,
  settings          jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE engagements (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  name              varchar(255) NOT NULL,
  engagement_type   varchar(50) NOT NULL DEFAULT 'cloud_migration',
  status            varchar(20) NOT NULL DEFAULT 'active' CHECK (status IN ('planning', 'active', 'paused', 'completed', 'archived')),
  starts_on         date,
  ends_on           date,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT engagements_client_name_key UNIQUE (client_account_id, name)
);

CREATE TABLE users (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email                 varchar(255) NOT NULL UNIQUE,
  password_hash         varchar(255) NOT NULL,
  first_name            varchar(100),
  last_name             varchar(100),
  is_active             boolean NOT NULL DEFAULT true,
  failed_login_attempts integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  last_login_at         timestamptz,
  default_client_id     uuid REFERENCES client_accounts (id) ON DELETE SET NULL,
  default_engagement_id uuid REFERENCES engagements (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_users_default_client ON users (default_client_id);
CREATE INDEX idx_users_default_engagement ON users (default_engagement_id);

CREATE TABLE user_roles (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_type         varchar(30) NOT NULL CHECK (role_type IN ('PLATFORM_ADMIN', 'CLIENT_ADMIN', 'ENGAGEMENT_MANAGER', 'ANALYST', 'VIEWER')),
  client_account_id uuid REFERENCES client_accounts (id) ON DELETE CASCADE,
  engagement_id     uuid REFERENCES engagements (id) ON DELETE CASCADE,
  granted_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_roles_unique UNIQUE NULLS NOT DISTINCT (user_id, role_type, client_account_id, engagement_id)
);
CREATE INDEX idx_user_roles_client ON user_roles (client_account_id);
CREATE INDEX idx_user_roles_engagement ON user_roles (engagement_id);

CREATE TABLE client_access (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_account_id uuid NOT NULL REFERENCES client_accounts (id) ON DELETE CASCADE,
  access_level      varchar(20) NOT NULL CHECK (access_level IN ('READ_ONLY', 'READ_WRITE', 'ADMIN', 'SUPER_ADMIN')),
  granted_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT client_access_user_client_key UNIQUE (user_id, client_account_id)
);
CREATE INDEX idx_client_access_client ON client_access (client_account_id);

CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
