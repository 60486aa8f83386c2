// @generated automatically by Diesel CLI.

diesel::table! {
    access_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        lookup_hash -> Text,
        hint -> Text,
        scopes -> Text,
        allowed_networks -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        last_used_ip -> Nullable<Text>,
        seen_ips -> Text,
        expiry_notice_sent -> Bool,
        expiry_recorded -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        name -> Text,
        created_at -> Timestamp,
        stripe_enabled -> Bool,
        company_name -> Text,
        address -> Text,
        city -> Text,
        state -> Text,
        zip -> Text,
        phone -> Text,
    }
}

diesel::table! {
    api_credentials (id) {
        id -> Text,
        user_id -> Text,
        tool -> Text,
        login -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
    }
}

diesel::table! {
    application_integrations (application_id, integration_id) {
        application_id -> Text,
        integration_id -> Text,
    }
}

diesel::table! {
    application_libraries (application_id, library_id) {
        application_id -> Text,
        library_id -> Text,
        position -> Int4,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> Text,
        account_id -> Text,
        domain -> Text,
        subject -> Text,
        issuer -> Text,
        not_before -> Timestamp,
        not_after -> Timestamp,
        fingerprint_sha256 -> Text,
        chain_pem -> Text,
        private_key_sealed -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    deployments (id) {
        id -> Text,
        application_id -> Text,
        label -> Text,
        variables -> Text,
        created_at -> Timestamp,
        oauth_token_id -> Nullable<Text>,
    }
}

diesel::table! {
    developer_keys (user_id) {
        user_id -> Text,
        lookup_hash -> Text,
        sealed_key -> Text,
        hint -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        last_used_ip -> Nullable<Text>,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        user_id -> Text,
        user_agent -> Text,
        ip -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    integrations (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        name_normalized -> Text,
        kind -> Text,
        config -> Text,
        secrets_sealed -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    js_libraries (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        name_normalized -> Text,
        description -> Text,
        code -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    oauth_states (state_hash) {
        state_hash -> Text,
        session_id -> Text,
        account_id -> Text,
        token_type -> Text,
        description -> Text,
        token_id -> Nullable<Text>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> Text,
        account_id -> Text,
        provider -> Text,
        token_type -> Text,
        description -> Text,
        stripe_user_id -> Text,
        livemode -> Bool,
        scope -> Text,
        access_token_sealed -> Text,
        refresh_token_sealed -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        user_id -> Text,
        credential_id -> Text,
        name -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    rate_limit_counters (key) {
        key -> Text,
        window_start -> Timestamp,
        hits -> Int4,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    security_events (id) {
        id -> Text,
        account_id -> Text,
        user_id -> Nullable<Text>,
        kind -> Text,
        detail -> Text,
        ip -> Text,
        user_agent -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        password_checked_at -> Timestamp,
        ip -> Text,
        user_agent -> Text,
        auth_method -> Text,
    }
}

diesel::table! {
    sign_in_failures (key) {
        key -> Text,
        window_start -> Timestamp,
        failures -> Int4,
    }
}

diesel::table! {
    token_policies (account_id) {
        account_id -> Text,
        max_lifetime_days -> Int4,
        allow_no_expiry -> Bool,
    }
}

diesel::table! {
    two_factor (user_id) {
        user_id -> Text,
        method -> Text,
        destination -> Text,
        enabled_at -> Timestamp,
        last_totp_step -> Nullable<Int8>,
    }
}

diesel::table! {
    two_factor_codes (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        method -> Text,
        destination -> Text,
        code_hash -> Text,
        attempts -> Int4,
        sent_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        email -> Text,
        email_normalized -> Text,
        password_hash -> Text,
        role -> Text,
        is_active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        can_create -> Bool,
        can_share -> Bool,
        last_sign_in_at -> Nullable<Timestamp>,
        email_verified -> Bool,
    }
}

diesel::table! {
    webauthn_ceremonies (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        purpose -> Text,
        state -> Text,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(access_tokens -> users (user_id));
diesel::joinable!(api_credentials -> users (user_id));
diesel::joinable!(application_integrations -> applications (application_id));
diesel::joinable!(application_integrations -> integrations (integration_id));
diesel::joinable!(application_libraries -> applications (application_id));
diesel::joinable!(application_libraries -> js_libraries (library_id));
diesel::joinable!(applications -> accounts (account_id));
diesel::joinable!(certificates -> accounts (account_id));
diesel::joinable!(certificates -> users (created_by));
diesel::joinable!(deployments -> applications (application_id));
diesel::joinable!(deployments -> oauth_tokens (oauth_token_id));
diesel::joinable!(developer_keys -> users (user_id));
diesel::joinable!(devices -> users (user_id));
diesel::joinable!(integrations -> accounts (account_id));
diesel::joinable!(integrations -> users (created_by));
diesel::joinable!(js_libraries -> accounts (account_id));
diesel::joinable!(oauth_states -> accounts (account_id));
diesel::joinable!(oauth_states -> oauth_tokens (token_id));
diesel::joinable!(oauth_states -> sessions (session_id));
diesel::joinable!(oauth_tokens -> accounts (account_id));
diesel::joinable!(oauth_tokens -> users (created_by));
diesel::joinable!(passkeys -> users (user_id));
diesel::joinable!(password_tokens -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(security_events -> accounts (account_id));
diesel::joinable!(security_events -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(token_policies -> accounts (account_id));
diesel::joinable!(two_factor -> users (user_id));
diesel::joinable!(two_factor_codes -> users (user_id));
diesel::joinable!(users -> accounts (account_id));
diesel::joinable!(webauthn_ceremonies -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    access_tokens,
    accounts,
    api_credentials,
    application_integrations,
    application_libraries,
    applications,
    certificates,
    deployments,
    developer_keys,
    devices,
    integrations,
    js_libraries,
    oauth_states,
    oauth_tokens,
    passkeys,
    password_tokens,
    rate_limit_counters,
    recovery_codes,
    security_events,
    sessions,
    sign_in_failures,
    token_policies,
    two_factor,
    two_factor_codes,
    users,
    webauthn_ceremonies,
);
