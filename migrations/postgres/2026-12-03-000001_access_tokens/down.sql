DROP TABLE token_policies;
DROP TABLE access_tokens;
