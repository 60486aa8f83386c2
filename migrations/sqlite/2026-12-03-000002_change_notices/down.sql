-- PostgreSQL only (its triggers NOTIFY the other instances of a change). Instances on one SQLite
-- file share a counter in a file beside it instead (backend/src/recent.rs); nothing to do here.
SELECT 1;
