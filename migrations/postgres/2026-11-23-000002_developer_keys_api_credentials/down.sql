DROP TABLE api_credentials;
DROP TABLE developer_keys;
