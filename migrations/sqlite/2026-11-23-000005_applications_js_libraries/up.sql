CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_account_id ON applications(account_id);

CREATE TABLE js_libraries (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- lower-cased name: unique per account regardless of case
    name_normalized TEXT NOT NULL,
    description TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, name_normalized)
);

-- An application's settings: the libraries it uses, in order.
CREATE TABLE application_libraries (
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    library_id TEXT NOT NULL REFERENCES js_libraries(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (application_id, library_id)
);
CREATE INDEX application_libraries_library_id ON application_libraries(library_id);

CREATE TABLE deployments (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- deployment variables as a JSON object of strings
    variables TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX deployments_application_id ON deployments(application_id);
