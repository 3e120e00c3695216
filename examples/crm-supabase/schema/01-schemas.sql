-- The CRM's ten schemas (seed 001 §1).
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS events;
CREATE SCHEMA IF NOT EXISTS feedback;
CREATE SCHEMA IF NOT EXISTS identity;
CREATE SCHEMA IF NOT EXISTS integra;
CREATE SCHEMA IF NOT EXISTS lead;
CREATE SCHEMA IF NOT EXISTS marketing;
CREATE SCHEMA IF NOT EXISTS newsletter;
CREATE SCHEMA IF NOT EXISTS read;

CREATE TYPE public.audit_action AS ENUM ('VIEW', 'CREATE', 'UPDATE', 'DELETE');
CREATE TYPE public.user_role AS ENUM ('SUPER_ADMIN', 'ADMIN', 'CUSTOMER_SUPPORT', 'STATION_MANAGER');
CREATE TYPE feedback.review_rating AS ENUM ('great', 'good', 'okay', 'could_be_better');
CREATE TYPE feedback.review_status AS ENUM ('pending', 'submitted', 'escalated', 'resolved', 'archived');
