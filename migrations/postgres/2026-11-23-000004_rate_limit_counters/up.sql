-- Fixed-window request counters shared by every instance (the POST /api/auth limit
-- when KEYDESK_SHARED_LIMITS says "database").
CREATE TABLE rate_limit_counters (
    key TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);
