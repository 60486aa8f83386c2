DROP TABLE deployments;
DROP TABLE application_libraries;
DROP TABLE js_libraries;
DROP TABLE applications;
