DROP TABLE application_integrations;
DROP TABLE integrations;
