-- A small, consistent data set for the CRM (the report found a clean database:
-- zero orphans, one alembic head). Values are fictitious.
INSERT INTO public.alembic_version (version_num) VALUES ('06fc7e9891b1');

INSERT INTO identity.stations (id, code, name, status, timezone) VALUES
  ('00000000-0000-4000-8000-000000000001', 'SJC', 'San Jose', 'active', 'America/Los_Angeles'),
  ('00000000-0000-4000-8000-000000000002', 'SAC', 'Sacramento', 'active', 'America/Los_Angeles');

INSERT INTO public.users (id, email, password_hash, first_name, last_name, role, is_active, is_verified, assigned_station_id) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'owner@example.com', '$2b$12$C6UzMDM.H6dfI/f/IKcEeO9Pd1RcwXu9pgp0uB6i3aT9dJt1v0kOa', 'Olive', 'Owner', 'SUPER_ADMIN', true, true, NULL),
  ('00000000-0000-4000-8000-0000000000a2', 'sjc.manager@example.com', '$2b$12$Qm6yQ0bY1u5b4N3UeW6l9e8m8s0z3n1yQ5fM2Yx1y2eKIXQJQm6yQ', 'Sam', 'Jones', 'STATION_MANAGER', true, true, '00000000-0000-4000-8000-000000000001');

INSERT INTO identity.station_users (user_id, station_id, role) VALUES
  ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001', 'STATION_MANAGER');

INSERT INTO core.customers (id, station_id, first_name, last_name, email_encrypted, email_hash) VALUES
  ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-000000000001', 'Ada', 'Lovelace',
   'v1:k1:q8Vb3kq0m9dM2Yx7cPqL0w4Jr8ZfT2aH1uE5nK3sX9oQ6yB0vW7gD4eR1tU8iP2lA5sF3hJ6kL9zX0cV2bN4mQ==',
   'b6f2a2a3e1a7f4e0c9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6');

INSERT INTO core.chefs (id, station_id, name) VALUES
  ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-000000000001', 'Chef Kenji');

INSERT INTO core.bookings (id, station_id, customer_id, chef_id, date, party_adults, party_kids, status, deposit_due_cents, total_due_cents) VALUES
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000c1',
   '00000000-0000-4000-8000-0000000000f1', '2025-11-08', 10, 2, 'confirmed', 10000, 65000);

INSERT INTO lead.lead_sources (code, name) VALUES ('web', 'Website'), ('qr', 'QR code'), ('referral', 'Referral');
